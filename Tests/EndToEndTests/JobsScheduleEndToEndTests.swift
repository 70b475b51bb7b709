import Foundation
import Testing

/// `overlay apply` installs a scheduled job playbook as a cron entry with absolute paths.
@Suite struct JobsScheduleEndToEndTests {
    @Test func applyInstallsTheScheduleWithTheBinaryAndRepoAsAbsolutePaths() throws {
        let box = try ApplySandbox()
        defer { box.cleanup() }
        let repo = try ApplyRepoEndToEndTests().makeRepo(box, template: "plain\n")
        try "name: nightly\nschedule: \"15 3 * * *\"\nhosts: all\njobs:\n  a: {run: 'true'}\n"
            .write(toFile: repo + "/playbooks/nightly.yaml", atomically: true, encoding: .utf8)
        let r = try runOverlay(["apply", "--root", repo], env: box.env)
        #expect(r.status == 0, "\(r.stderr)")
        let crontab = try String(contentsOfFile: box.root.path + "/crontab", encoding: .utf8)
        let binary = PackagePaths.binary.resolvingSymlinksInPath().path
        let command = "\(binary) jobs run \(repo)/playbooks/nightly.yaml --root \(repo) --host timmy --quiet"
        let line = crontab.split(separator: "\n").first { $0.hasSuffix(command) }
        #expect(line?.hasPrefix("15 3 * * * ") == true, "\(crontab)")
    }

    /// A trainer runs the training pipeline but no agent: `site.yaml` does not target it, and
    /// apply still installs its job schedule — and nothing else.
    @Test func aHostOnlyAJobPlaybookTargetsGetsItsScheduleAndNoFiles() throws {
        let box = try ApplySandbox()
        defer { box.cleanup() }
        let repo = try ApplyRepoEndToEndTests().makeRepo(box, template: "plain\n")
        try """
        all:
          vars:
            hermes_home: "~/.hermes"
          children:
            wizards:
              hosts:
                timmy: {ansible_connection: local}
            trainers:
              hosts:
                forge: {ansible_connection: local}
        """.write(toFile: repo + "/inventory/hosts.yml", atomically: true, encoding: .utf8)
        let site = try String(contentsOfFile: repo + "/playbooks/site.yaml", encoding: .utf8)
        try site.replacingOccurrences(of: "hosts: all", with: "hosts: wizards")
            .write(toFile: repo + "/playbooks/site.yaml", atomically: true, encoding: .utf8)
        try "name: training\nschedule: \"0 */4 * * *\"\nhosts: trainers\njobs:\n  a: {run: 'true'}\n"
            .write(toFile: repo + "/playbooks/training.yaml", atomically: true, encoding: .utf8)
        let r = try runOverlay(["apply", "--root", repo, "--host", "forge"], env: box.env)
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        let crontab = try String(contentsOfFile: box.root.path + "/crontab", encoding: .utf8)
        #expect(crontab.contains("host=forge") && crontab.contains("jobs run \(repo)/playbooks/training.yaml"), "\(crontab)")
        #expect(!FileManager.default.fileExists(atPath: box.hermes + "/env.txt"), "the site's files are not a trainer's")
        let wizard = try runOverlay(["apply", "--root", repo, "--host", "timmy", "--dry-run"], env: box.env)
        #expect(wizard.status == 0 && wizard.stdout.contains("env.txt"), "\(wizard.stdout)")
    }
}

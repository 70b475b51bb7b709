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
}

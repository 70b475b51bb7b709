import Foundation
import Testing

/// Apply from a small overlay repo: validation and rendering happen before anything changes.
@Suite struct ApplyRepoEndToEndTests {
    /// A minimal valid repo whose template is `template`, in the sandbox.
    func makeRepo(_ box: ApplySandbox, template: String) throws -> String {
        let repo = box.root.path + "/repo"
        let fm = FileManager.default
        try fm.createDirectory(atPath: repo + "/inventory", withIntermediateDirectories: true)
        try fm.createDirectory(atPath: repo + "/playbooks/templates", withIntermediateDirectories: true)
        try "# Soul\n\nI am timmy.\n".write(toFile: repo + "/SOUL.md", atomically: true, encoding: .utf8)
        try PolicyFiles.write(into: repo)
        try "model:\n  provider: custom\n".write(toFile: repo + "/config.yaml", atomically: true, encoding: .utf8)
        try """
        all:
          vars:
            hermes_home: "~/.hermes"
          hosts:
            timmy:
              ansible_connection: local
        """.write(toFile: repo + "/inventory/hosts.yml", atomically: true, encoding: .utf8)
        try """
        hosts: all
        homes:
          hermes: "{{ hermes_home }}"
        files:
          - {template: playbooks/templates/env.txt, dest: "{{ hermes_home }}/env.txt"}
        """.write(toFile: repo + "/playbooks/site.yaml", atomically: true, encoding: .utf8)
        try template.write(toFile: repo + "/playbooks/templates/env.txt", atomically: true, encoding: .utf8)
        return repo
    }

    @Test func undefinedTemplateVariableExitsOneAndChangesNothing() throws {
        let box = try ApplySandbox()
        defer { box.cleanup() }
        let repo = try makeRepo(box, template: "name={{ wizard_name }}\n")
        let before = box.snapshot()
        let r = try runOverlay(["apply", "--root", repo], env: box.env)
        #expect(r.status == 1)
        #expect(r.stdout.contains("playbooks/templates/env.txt:1:") && r.stdout.contains("wizard_name"))
        #expect(r.stderr.contains("nothing was changed"))
        #expect(box.snapshot() == before)
        #expect(!FileManager.default.fileExists(atPath: box.state + "/current"))
    }

    @Test func missingSecretExitsOneAndChangesNothing() throws {
        let box = try ApplySandbox()
        defer { box.cleanup() }
        let repo = try makeRepo(box, template: "token=${secret:API_TOKEN}\n")
        let before = box.snapshot()
        var env = box.env
        env["OVERLAY_SECRETS_DIR"] = box.root.path + "/no-secrets"
        let r = try runOverlay(["apply", "--root", repo, "--format", "json"], env: env)
        #expect(r.status == 1 && r.json["ok"] as? Bool == false)
        #expect(r.stdout.contains("API_TOKEN"))
        #expect(box.snapshot() == before)
    }

    @Test func resolvedSecretIsWrittenOwnerOnlyAndNeverPrinted() throws {
        let box = try ApplySandbox()
        defer { box.cleanup() }
        let repo = try makeRepo(box, template: "token=${secret:API_TOKEN}\n")
        var env = box.env
        env["OVERLAY_SECRET_API_TOKEN"] = "s3cr3t-value"
        let r = try runOverlay(["apply", "--root", repo, "--diff"], env: env)
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        #expect(!r.stdout.contains("s3cr3t-value") && !r.stderr.contains("s3cr3t-value"))
        #expect(box.read("env.txt") == "token=s3cr3t-value\n")
        let mode = try FileManager.default.attributesOfItem(atPath: box.state + "/current/files/hermes/env.txt")[.posixPermissions] as? Int
        #expect(mode == 0o400, "owner-only and, in the generation, read-only")
    }

    @Test func diffOfAFileWithASecretShowsItsOtherLinesButNoSecret() throws {
        let box = try ApplySandbox()
        defer { box.cleanup() }
        let repo = try makeRepo(box, template: "model=a\ntoken=${secret:API_TOKEN}\n")
        var env = box.env
        env["OVERLAY_SECRET_API_TOKEN"] = "first-s3cr3t"
        #expect(try runOverlay(["apply", "--root", repo], env: env).status == 0)
        try "model=b\ntoken=${secret:API_TOKEN}\n".write(toFile: repo + "/playbooks/templates/env.txt", atomically: true, encoding: .utf8)
        env["OVERLAY_SECRET_API_TOKEN"] = "second-s3cr3t"
        let r = try runOverlay(["diff", "--root", repo], env: env)
        #expect(r.status == 0)
        #expect(r.stdout.contains("+model=b\n+token=<redacted>\n"), "\(r.stdout)")
        #expect(!r.stdout.contains("s3cr3t") && !r.stderr.contains("s3cr3t"))
    }

    /// When a template stops using a secret, the lines the diff removes still held it.
    @Test func diffAfterASecretLeavesTheTemplateHidesTheOldValue() throws {
        let box = try ApplySandbox()
        defer { box.cleanup() }
        let repo = try makeRepo(box, template: "token=${secret:API_TOKEN}\n")
        var env = box.env
        env["OVERLAY_SECRET_API_TOKEN"] = "old-s3cr3t"
        #expect(try runOverlay(["apply", "--root", repo], env: env).status == 0)
        try "token=${API_TOKEN}\n".write(toFile: repo + "/playbooks/templates/env.txt", atomically: true, encoding: .utf8)
        for format in ["text", "json"] {
            let r = try runOverlay(["diff", "--root", repo, "--format", format], env: env)
            #expect(r.status == 0)
            #expect(r.stdout.contains("token=${API_TOKEN}") && r.stdout.contains("<redacted>"), "\(r.stdout)")
            #expect(!r.stdout.contains("old-s3cr3t") && !r.stderr.contains("old-s3cr3t"))
        }
    }
}

/// `-i FILE` replaces the repo's inventory for apply, diff and cron diff.
@Suite struct ApplyInventoryOptionTests {
    @Test func anInventoryOutsideTheRepoSuppliesTheHostVariables() throws {
        let box = try ApplySandbox()
        defer { box.cleanup() }
        let repo = try ApplyRepoEndToEndTests().makeRepo(box, template: "name={{ wizard_name }}\n")
        let other = box.root.path + "/fleet"
        try FileManager.default.createDirectory(atPath: other + "/host_vars", withIntermediateDirectories: true)
        try "all:\n  vars:\n    hermes_home: \"~/.hermes\"\n  hosts:\n    ezra:\n      ansible_connection: local\n"
            .write(toFile: other + "/hosts.yml", atomically: true, encoding: .utf8)
        try "wizard_name: Ezra\n".write(toFile: other + "/host_vars/ezra.yml", atomically: true, encoding: .utf8)

        let diff = try runOverlay(["diff", "--root", repo, "-i", other + "/hosts.yml", "--format", "json"], env: box.env)
        #expect(diff.status == 0 && diff.json["host"] as? String == "ezra", "\(diff.stderr)")
        let r = try runOverlay(["apply", "--root", repo, "-i", other + "/hosts.yml"], env: box.env)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(box.read("env.txt") == "name=Ezra\n")
        // Without -i the repo's inventory (no wizard_name) is used, and the template fails.
        #expect(try runOverlay(["apply", "--root", repo], env: box.env).status == 1)
    }

    @Test func aBrokenOrMissingInventoryFileIsReportedAndChangesNothing() throws {
        let box = try ApplySandbox()
        defer { box.cleanup() }
        let repo = try ApplyRepoEndToEndTests().makeRepo(box, template: "static\n")
        let broken = box.root.path + "/broken.yml"
        try "all:\n  hosts:\n    ezra:\n      ansible_port: many\n".write(toFile: broken, atomically: true, encoding: .utf8)
        let before = box.snapshot()
        let r = try runOverlay(["apply", "--root", repo, "-i", broken], env: box.env)
        #expect(r.status == 1)
        #expect(r.stdout.contains(broken + ":4:"), "\(r.stdout)")
        let cron = try runOverlay(["cron", "diff", "--root", repo, "-i", broken], env: box.env)
        #expect(cron.status == 1 && cron.stderr.contains(broken + ":4:"), "\(cron.stderr)")
        let missing = try runOverlay(["apply", "--root", repo, "-i", box.root.path + "/nope.yml"], env: box.env)
        #expect(missing.status == 1 && missing.stderr.contains("nope.yml not found"), "\(missing.stderr)")
        #expect(box.snapshot() == before)
    }
}

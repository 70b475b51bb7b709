import Foundation
import Testing

/// The holes found when the tool was attacked (issue 9), through the built binary: overlay's
/// own state out of reach, homes that are homes, cron's line limit, secrets only in templates.
@Suite struct HardeningEndToEndTests {
    /// A small valid repo in the sandbox with `site` as its golden state and `extra` files.
    func makeRepo(_ box: ApplySandbox, site: String, inventoryVars: String = "", extra: [String: String] = [:]) throws -> String {
        let repo = box.root.path + "/repo"
        let files: [String: String] = [
            "SOUL.md": "# Soul\n\nI am timmy.\n",
            "config.yaml": "model:\n  provider: custom\n",
            "inventory/hosts.yml":
                "all:\n  vars:\n    hermes_home: \"~/.hermes\"\n\(inventoryVars)  hosts:\n    timmy:\n      ansible_connection: local\n",
            "playbooks/site.yaml": site,
        ].merging(extra) { _, new in new }
        for (path, text) in files {
            let full = repo + "/" + path
            try FileManager.default.createDirectory(
                atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try text.write(toFile: full, atomically: true, encoding: .utf8)
        }
        try PolicyFiles.write(into: repo)
        return repo
    }

    func rules(_ r: OverlayResult) -> [String] {
        ((r.json["diagnostics"] as? [[String: Any]]) ?? []).map {
            "\($0["rule"] ?? "") \($0["file"] ?? ""):\($0["line"] ?? 0):\($0["column"] ?? 0)"
        }
    }

    @Test func aRootHomeIsRefusedByValidateAndApply() throws {
        let box = try ApplySandbox()
        defer { box.cleanup() }
        let repo = try makeRepo(box, site: "hosts: all\nhomes:\n  root: \"/\"\nfiles:\n  - {src: SOUL.md, dest: /proc/overlay-test-soul}\n")
        let v = try runOverlay(["validate", "--root", repo, "--format", "json"])
        #expect(v.status == 1 && rules(v) == ["playbook.system-home playbooks/site.yaml:3:9"], "\(v.stdout)")
        let before = box.snapshot()
        let a = try runOverlay(["apply", "--root", repo], env: box.env)
        #expect(a.status == 1 && a.stdout.contains("[playbook.system-home]"), "\(a.stdout)\(a.stderr)")
        #expect(box.snapshot() == before && !FileManager.default.fileExists(atPath: box.state + "/current"))
    }

    /// The issue's case through a bundle (no validation): the state dir under the home and a dest
    /// aimed at its ledger. The runtime guard refuses before anything is written.
    @Test func aBundleAimedAtTheStateDirIsRefused() throws {
        let box = try ApplySandbox()
        defer { box.cleanup() }
        var env = box.env
        env["OVERLAY_STATE_DIR"] = box.hermes + "/state"
        let bundle = try box.write(box.bundle([("state/managed.json", "{}\n"), ("SOUL.md", "soul\n")]))
        let r = try runOverlay(["apply", "--bundle", bundle, "--format", "json"], env: env)
        #expect(r.status == 1 && r.json["ok"] as? Bool == false)
        let error = r.json["error"] as? String ?? ""
        #expect(error.contains("would write into overlay's state dir") && error.contains("overlay_state_dir"), "\(r.stdout)")
        #expect(box.read("SOUL.md") == nil)
        #expect(!FileManager.default.fileExists(atPath: box.hermes + "/state/managed.json"))
    }

    @Test func aHomeHoldingTheStateDirIsRefusedAtApply() throws {
        let box = try ApplySandbox()
        defer { box.cleanup() }
        var env = box.env
        env["OVERLAY_STATE_DIR"] = box.hermes + "/state"
        let r = try runOverlay(["apply", "--bundle", try box.write(box.bundle([("SOUL.md", "soul\n")]))], env: env)
        #expect(r.status == 1 && r.stderr.contains("contains overlay's state dir"), "\(r.stdout)\(r.stderr)")
        #expect(box.read("SOUL.md") == nil)
    }

    @Test func aTwelveHundredCharacterCronCommandFailsValidation() throws {
        let box = try ApplySandbox()
        defer { box.cleanup() }
        let command = "echo " + String(repeating: "x", count: 1195)
        let repo = try makeRepo(
            box,
            site:
                "hosts: all\nhomes:\n  hermes: \"{{ hermes_home }}\"\nfiles:\n  - {src: SOUL.md, dest: \"{{ hermes_home }}/SOUL.md\"}\ncron: [cron/jobs.yaml]\n",
            extra: ["cron/jobs.yaml": "jobs:\n  - name: long\n    schedule: '0 3 * * *'\n    command: \"\(command)\"\n"])
        let r = try runOverlay(["validate", "--root", repo])
        #expect(r.status == 1)
        #expect(r.stdout.contains("cron/jobs.yaml:4:14: error: ") && r.stdout.contains("[cron.line-too-long]"), "\(r.stdout)")
        #expect(r.stdout.contains("limit of 998 (MAX_COMMAND 1000 in cron.h)"))
    }

    @Test func secretsInACronCommandAndAHandlerFailValidation() throws {
        let box = try ApplySandbox()
        defer { box.cleanup() }
        let site = """
            hosts: all
            homes:
              hermes: "{{ hermes_home }}"
            files:
              - {src: SOUL.md, dest: "{{ hermes_home }}/SOUL.md"}
            cron: [cron/jobs.yaml]
            handlers:
              restart: {run: "curl -H 'X-Key: ${secret:KEY}' http://127.0.0.1/restart", on_change: ["{{ hermes_home }}/SOUL.md"]}
            """
        let jobs = "jobs:\n  - name: push\n    schedule: '@hourly'\n    command: 'push --token ${secret:KEY}'\n"
        let repo = try makeRepo(box, site: site, extra: ["cron/jobs.yaml": jobs])
        let r = try runOverlay(["validate", "--root", repo, "--format", "json"])
        #expect(r.status == 1)
        #expect(
            rules(r) == ["cron.secret-reference cron/jobs.yaml:4:28", "playbook.secret-reference playbooks/site.yaml:8:35"], "\(r.stdout)")
    }

    /// A base_url assembled from a secret: refused at apply, before the switch, never printed.
    @Test func aRemoteBaseURLFromASecretIsRefusedBeforeTheSwitch() throws {
        let box = try ApplySandbox()
        defer { box.cleanup() }
        let site = """
            hosts: all
            homes:
              hermes: "{{ hermes_home }}"
            files:
              - {template: playbooks/templates/model.yaml, dest: "{{ hermes_home }}/model.yaml"}
            """
        let repo = try makeRepo(
            box, site: site, extra: ["playbooks/templates/model.yaml": "model:\n  provider: custom\n  base_url: \"${secret:MODEL_URL}\"\n"])
        var env = box.env
        let secrets = box.root.path + "/secrets"
        try FileManager.default.createDirectory(atPath: secrets, withIntermediateDirectories: true)
        try "https://models.leaky-vendor.example/v1\n".write(toFile: secrets + "/MODEL_URL", atomically: true, encoding: .utf8)
        env["OVERLAY_SECRETS_DIR"] = secrets
        #expect(try runOverlay(["validate", "--root", repo]).status == 0, "before secrets the repo is clean")
        let before = box.snapshot()
        let r = try runOverlay(["apply", "--root", repo, "--format", "json"], env: env)
        #expect(r.status == 1 && r.stdout.contains("policy.remote-base-url") && r.stdout.contains("MODEL_URL"), "\(r.stdout)")
        #expect(!(r.stdout + r.stderr).contains("leaky-vendor"), "the secret is never printed")
        #expect(box.snapshot() == before && !FileManager.default.fileExists(atPath: box.state + "/current"))
        try "http://127.0.0.1:8080/v1\n".write(toFile: secrets + "/MODEL_URL", atomically: true, encoding: .utf8)
        #expect(try runOverlay(["apply", "--root", repo], env: env).status == 0)
    }

    /// A secret overlay cannot read says "permission denied", not "not found" (run as nobody:
    /// root reads a 0000 file).
    @Test func anUnreadableSecretSaysPermissionDenied() throws {
        guard getuid() == 0, FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv") else { return }
        let box = try ApplySandbox()
        defer { box.cleanup() }
        let site = """
            hosts: all
            homes:
              hermes: "{{ hermes_home }}"
            files:
              - {template: playbooks/templates/e.env, dest: "{{ hermes_home }}/e.env"}
            """
        let repo = try makeRepo(box, site: site, extra: ["playbooks/templates/e.env": "KEY=${secret:KEY}\n"])
        let secrets = box.root.path + "/secrets"
        try FileManager.default.createDirectory(atPath: secrets, withIntermediateDirectories: true)
        try "k\n".write(toFile: secrets + "/KEY", atomically: true, encoding: .utf8)
        #expect(chmod(secrets + "/KEY", 0) == 0)
        #expect(chmod(box.root.path, 0o755) == 0)
        var env = box.env
        env["OVERLAY_SECRETS_DIR"] = secrets
        let r = try runProcess(
            "/usr/bin/setpriv",
            ["--reuid=65534", "--regid=65534", "--clear-groups", "--", PackagePaths.binary.path, "apply", "--root", repo],
            env: env)
        #expect(r.status == 1, "\(r.stdout)\(r.stderr)")
        #expect(r.stdout.contains("[playbook.unreadable-secret]") && r.stdout.contains("permission denied"), "\(r.stdout)")
        #expect(!r.stdout.contains("not found"))
    }

    @Test func aFIFOWhereConfigYamlShouldBeIsNamedAndNeverOpened() throws {
        let box = try ApplySandbox()
        defer { box.cleanup() }
        let repo = try makeRepo(box, site: "hosts: all\nhomes:\n  hermes: \"{{ hermes_home }}\"\n")
        try FileManager.default.removeItem(atPath: repo + "/config.yaml")
        #expect(mkfifo(repo + "/config.yaml", 0o644) == 0)
        let r = try runOverlay(["validate", "--root", repo], timeout: 30)
        #expect(r.status == 1)
        #expect(r.stdout.contains("config.yaml is a FIFO (named pipe)") && !r.stdout.contains("missing"), "\(r.stdout)")
    }

    /// A `file:` crontab that is a symlink is written through; the link and the owner stay.
    @Test func aSymlinkedFileCrontabKeepsItsLinkAndOwner() throws {
        let box = try ApplySandbox()
        defer { box.cleanup() }
        let site =
            "hosts: all\nhomes:\n  hermes: \"{{ hermes_home }}\"\nfiles:\n  - {src: SOUL.md, dest: \"{{ hermes_home }}/SOUL.md\"}\ncron: [cron/jobs.yaml]\n"
        let repo = try makeRepo(
            box, site: site,
            extra: ["cron/jobs.yaml": "jobs:\n  - name: hb\n    schedule: '*/5 * * * *'\n    command: overlay heartbeat\n    user: ops\n"])
        let real = box.root.path + "/cron-real"
        try "# theirs\n".write(toFile: real, atomically: true, encoding: .utf8)
        #expect(chown(real, 4242, 4343) == 0 && chmod(real, 0o640) == 0)
        try FileManager.default.createSymbolicLink(atPath: box.root.path + "/crontab", withDestinationPath: real)
        let r = try runOverlay(["apply", "--root", repo], env: box.env)
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: box.root.path + "/crontab") == real)
        let text = try String(contentsOfFile: real, encoding: .utf8)
        #expect(text.hasPrefix("# theirs\n") && text.contains("*/5 * * * * ops overlay heartbeat"), "\(text)")
        var st = stat()
        #expect(stat(real, &st) == 0 && st.st_uid == 4242 && st.st_gid == 4343 && st.st_mode & 0o777 == 0o640)
    }
}

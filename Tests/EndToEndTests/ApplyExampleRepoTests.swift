import Foundation
import Testing

/// `overlay apply` of the bundled example overlay for the workstation host, the way the
/// README demo runs it: files, the secret-bearing template, and the managed crontab.
@Suite struct ApplyExampleRepoTests {
    @Test func appliesTheExampleAndInstallsItsCronBlock() throws {
        let box = try ApplySandbox()
        defer { box.cleanup() }
        let env = try box.envWithSecret()
        let args = ["apply", "--root", PackagePaths.root.path, "--host", "timmy", "--format", "json"]

        let first = try runOverlay(args, env: env)
        #expect(first.status == 0, "\(first.stdout)\n\(first.stderr)")
        #expect(first.json["generation"] as? Int == 1)
        let config = try String(contentsOfFile: box.hermes + "/config.yaml", encoding: .utf8)
        let repoConfig = try String(contentsOf: PackagePaths.root.appendingPathComponent("config.yaml"), encoding: .utf8)
        #expect(config == repoConfig)
        let providers = try String(contentsOfFile: box.hermes + "/providers.yaml", encoding: .utf8)
        #expect(providers.contains("local-test-key"))
        #expect(!first.stdout.contains("local-test-key"), "a secret never appears in output")
        let attributes = try FileManager.default.attributesOfItem(
            atPath: URL(fileURLWithPath: box.hermes + "/providers.yaml").resolvingSymlinksInPath().path)
        #expect((attributes[.posixPermissions] as? Int) == 0o400, "owner-only, read-only in the generation")

        let crontab = try String(contentsOfFile: box.root.path + "/crontab", encoding: .utf8)
        #expect(crontab.contains("host=timmy"))
        #expect(crontab.contains("http://127.0.0.1:8642/health"), "cron commands get the host's variables")
        #expect(crontab.contains("# overlay job: overlay-deadman") && crontab.contains("deadman check --quiet"))
        #expect(!crontab.contains("gitea-issue-triage"), "jobs for other hosts stay out of timmy's block")
        let cron = first.json["cron"] as? [String: Any]
        #expect((cron?["added"] as? [String])?.contains("heartbeat") == true)

        let second = try runOverlay(args, env: env)
        #expect(second.status == 0)
        #expect((second.json["summary"] as? [String: Any])?["created"] as? Int == 0)
        #expect(second.json["switched"] as? Bool == false)
        #expect((second.json["cron"] as? [String: Any])?["written"] as? Bool == false)
        #expect(try String(contentsOfFile: box.root.path + "/crontab", encoding: .utf8) == crontab)
    }

    @Test func aMissingSecretChangesNothing() throws {
        let box = try ApplySandbox()
        defer { box.cleanup() }
        var env = box.env
        env["OVERLAY_SECRETS_DIR"] = box.root.path + "/no-secrets"
        let r = try runOverlay(["apply", "--root", PackagePaths.root.path, "--host", "timmy"], env: env)
        #expect(r.status == 1)
        #expect((r.stdout + r.stderr).contains("secret 'MODEL_API_KEY' not found"))
        #expect(box.snapshot().filter { !$0.hasPrefix(".hermes:") && $0 != ".hermes" }.isEmpty)
        #expect(!FileManager.default.fileExists(atPath: box.root.path + "/crontab"))
    }
}

@Suite struct ApplyRefusesBeforeSwitchingTests {
    @Test func aBadCrontabTargetChangesNothing() throws {
        let box = try ApplySandbox()
        defer { box.cleanup() }
        for target in ["bogus", "file:/nonexistent/folder/crontab"] {
            var e = try box.envWithSecret()
            e["OVERLAY_CRONTAB"] = target
            let r = try runOverlay(["apply", "--root", PackagePaths.root.path, "--host", "timmy"], env: e)
            #expect(r.status == 1)
            #expect(r.stderr.contains("nothing was changed"), "\(r.stderr)")
            #expect(!FileManager.default.fileExists(atPath: box.state + "/current"))
            #expect(!FileManager.default.fileExists(atPath: box.hermes + "/config.yaml"))
        }
    }

    @Test func aSecretThatBreaksTheYAMLIsRefusedWithoutShowingIt() throws {
        let box = try ApplySandbox()
        defer { box.cleanup() }
        let e = try box.envWithSecret("sk-abc\"def: {ghi")
        let r = try runOverlay(["apply", "--root", PackagePaths.root.path, "--host", "timmy"], env: e)
        #expect(r.status == 1)
        #expect((r.stdout + r.stderr).contains("playbook.template-output"))
        #expect(!(r.stdout + r.stderr).contains("ghi"), "the secret never appears in output")
        #expect(!FileManager.default.fileExists(atPath: box.hermes + "/providers.yaml"))
    }

    @Test func aMissingRootIsAUsageError() throws {
        let r = try runOverlay(["validate", "--root", "/nonexistent/overlay-repo"])
        #expect(r.status == 2)
        #expect(r.stderr.contains("no such directory"))
        #expect(!r.stderr.contains("Error: "))
    }

    @Test func ianaZonesFromTzdataAreAccepted() throws {
        let r = try runOverlay([
            "cron", "next", "30 9 * * *", "--from", "2026-01-01T00:00:00Z", "--count", "1", "--tz", "Asia/Kolkata", "--format", "json",
        ])
        #expect(r.status == 0, "\(r.stderr)")
        #expect((r.json["next"] as? [String]) == ["2026-01-01T09:30:00+05:30"])
        #expect(try runOverlay(["cron", "next", "* * * * *", "--tz", "Mars/Olympus"]).status == 2)
    }
}

import Foundation
import Testing

/// `overlay apply` of the bundled example overlay for the workstation host, the way the
/// README demo runs it: files, the secret-bearing template, and the managed crontab.
@Suite struct ApplyExampleRepoTests {
    @Test func appliesTheExampleAndInstallsItsCronBlock() throws {
        let box = try ApplySandbox()
        defer { box.cleanup() }
        let secrets = box.root.path + "/secrets"
        try FileManager.default.createDirectory(atPath: secrets, withIntermediateDirectories: true)
        try "local-test-key\n".write(toFile: secrets + "/MODEL_API_KEY", atomically: true, encoding: .utf8)
        var env = box.env
        env["OVERLAY_SECRETS_DIR"] = secrets
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
        #expect((attributes[.posixPermissions] as? Int) == 0o600)

        let crontab = try String(contentsOfFile: box.root.path + "/crontab", encoding: .utf8)
        #expect(crontab.contains("host=timmy"))
        #expect(crontab.contains("/tmp/agent-heartbeat-timmy.stamp"), "cron commands get the host's variables")
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

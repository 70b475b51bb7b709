import Foundation
import TestSupport
import Testing

/// `overlay converge` over SSH against a real sshd on 127.0.0.1: the bundle is streamed to
/// `overlay apply --bundle -` on the "remote" host, which is this machine.
@Suite(.serialized) struct ConvergeSSHTests {
    static func setUp() throws -> (SSHServer, ConvergeFleet) {
        let server = try SSHServer()
        do { return (server, try ConvergeFleet()) } catch {
            server.stop()
            throw error
        }
    }

    static func tearDown(_ server: SSHServer, _ fleet: ConvergeFleet) {
        server.stop()
        fleet.cleanup()
    }

    /// The server's connection vars, running this build's overlay as the remote one.
    static func remoteVars(_ server: SSHServer, _ fleet: ConvergeFleet) -> [String: String] {
        var vars = server.connectionVars
        vars["overlay_bin"] = fleet.quoted(PackagePaths.binary.path)
        vars["managed_dir"] = fleet.quoted(fleet.managed("ezra"))
        return vars
    }

    @Test func convergesAnSSHHostBesideALocalOneAndReportsAnUnreachableOne() throws {
        let (server, fleet) = try Self.setUp()
        defer { Self.tearDown(server, fleet) }
        let remote = Self.remoteVars(server, fleet)
        var dead = server.connectionVars
        dead["ansible_port"] = "1"  // nothing listens there
        try fleet.writeInventory([
            ("timmy", fleet.sandboxVars("timmy")), ("ezra", fleet.sandboxVars("ezra", remote)),
            ("bilbo", fleet.sandboxVars("bilbo", dead) + "\n          wizard_name: bilbo"),
        ])

        let first = try fleet.converge(["--format", "json"])
        #expect(first.status == 1, "one host is unreachable")
        let hosts = first.json["hosts"] as? [String: [String: Any]] ?? [:]
        #expect(hosts["timmy"]?["status"] as? String == "changed")
        #expect(hosts["ezra"]?["status"] as? String == "changed", "\(first.stdout)\(first.stderr)")
        #expect(hosts["ezra"]?["generation"] as? Int == 1)
        #expect(hosts["bilbo"]?["status"] as? String == "unreachable")
        #expect((hosts["bilbo"]?["error"] as? String)?.contains("127.0.0.1:1") == true)
        let config = try String(contentsOfFile: fleet.home("ezra") + "/.hermes/providers.yaml", encoding: .utf8)
        #expect(config.contains("local-test-key"), "the secret resolved on the controller reached the host")
        let cron = try String(contentsOfFile: fleet.crontab("ezra"), encoding: .utf8)
        #expect(cron.contains("host=ezra") && cron.contains("gitea_issue_triage"), "ezra's own jobs, in its crontab")

        let again = try fleet.converge(["--limit", "timmy:ezra", "--format", "json"])
        #expect(again.status == 0, "\(again.stdout)\(again.stderr)")
        let after = again.json["hosts"] as? [String: [String: Any]] ?? [:]
        #expect(after["ezra"]?["status"] as? String == "ok" && after["ezra"]?["generation"] as? Int == 1)
        #expect(fleet.liveGeneration("ezra") == "generations/1")
        let last = try fleet.lastConverge("ezra")
        #expect(last?["status"] as? String == "ok", "the remote apply records the converge: \(String(describing: last))")
    }

    @Test func aRemoteWithoutOverlayFailsThatHostWithTheFix() throws {
        let (server, fleet) = try Self.setUp()
        defer { Self.tearDown(server, fleet) }
        var remote = server.connectionVars
        remote["overlay_bin"] = "/nonexistent/overlay"
        try fleet.writeInventory([("timmy", fleet.sandboxVars("timmy")), ("ezra", fleet.sandboxVars("ezra", remote))])
        let r = try fleet.converge(["--limit", "ezra"])
        #expect(r.status == 1)
        #expect(r.stdout.contains("ezra  failed") && r.stdout.contains("overlay_bin"), "\(r.stdout)")
        #expect(fleet.liveGeneration("ezra") == nil)
    }

    @Test func anSSHHostWithoutOverlayHomeUsesTheRemoteHome() throws {
        let (server, fleet) = try Self.setUp()
        defer { Self.tearDown(server, fleet) }
        var vars = Self.remoteVars(server, fleet)
        vars["overlay_crontab"] = fleet.quoted("file:" + fleet.crontab("ezra"))
        let lines = fleet.inline(vars)
        try fleet.writeInventory([("timmy", fleet.sandboxVars("timmy")), ("ezra", lines)])
        let r = try fleet.converge(["--limit", "ezra", "--format", "json"])
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        #expect(FileManager.default.fileExists(atPath: server.home + "/.hermes/SOUL.md"), "~ is the remote user's home")
        let current = try? FileManager.default.destinationOfSymbolicLink(atPath: server.home + "/.local/state/overlay/current")
        #expect(current == "generations/1", "the default state dir is under that home")
    }

    @Test func twoSSHWizardsSharingTheRemoteDefaultStateDirAreRefused() throws {
        let (server, fleet) = try Self.setUp()
        defer { Self.tearDown(server, fleet) }
        let vars = Self.remoteVars(server, fleet)
        let lines = fleet.inline(vars)
        try fleet.writeInventory([("timmy", lines), ("ezra", lines)])
        let r = try fleet.converge()
        #expect(r.status == 1)
        #expect(r.stdout.contains("share the state dir ~/.local/state/overlay on"), "\(r.stdout)")
        #expect(!FileManager.default.fileExists(atPath: server.home + "/.hermes"), "neither host was applied")
    }

    @Test func aRemoteOverlayKilledByASignalIsFailedWithTheSignalNotUnreachable() throws {
        let (server, fleet) = try Self.setUp()
        defer { Self.tearDown(server, fleet) }
        // An "overlay" that is killed by SIGKILL as soon as it starts.
        let killer = fleet.root.path + "/killed-overlay"
        try "#!/bin/sh\nkill -9 $$\n".write(toFile: killer, atomically: true, encoding: .utf8)
        chmod(killer, 0o755)
        var remote = server.connectionVars
        remote["overlay_bin"] = fleet.quoted(killer)
        try fleet.writeInventory([("timmy", fleet.sandboxVars("timmy")), ("ezra", fleet.sandboxVars("ezra", remote))])
        let r = try fleet.converge(["--limit", "ezra", "--format", "json"])
        let ezra = (r.json["hosts"] as? [String: [String: Any]])?["ezra"]
        #expect(r.status == 1)
        #expect(ezra?["status"] as? String == "failed", "\(r.stdout)\(r.stderr)")
        #expect((ezra?["error"] as? String)?.contains("killed by signal 9 (SIGKILL)") == true, "\(r.stdout)")
    }
}

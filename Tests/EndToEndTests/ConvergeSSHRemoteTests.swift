import Foundation
import TestSupport
import Testing

/// What the SSH side of a converge must survive, from an attack on it: a chatty login
/// script, a remote that is no overlay, one machine reached under two spellings, a remote
/// that prints without end, and a second signal. A real sshd on 127.0.0.1 throughout.
@Suite(.serialized) struct ConvergeSSHRemoteTests {
    /// A fake `overlay` on the "remote" host (this machine) with `body` as its shell script.
    static func fake(_ fleet: ConvergeFleet, _ name: String, _ body: String) throws -> String {
        let path = fleet.root.path + "/" + name
        try ("#!/bin/sh\n" + body + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        chmod(path, 0o755)
        return path
    }

    static func ezra(_ r: OverlayResult) -> [String: Any]? { (r.json["hosts"] as? [String: [String: Any]])?["ezra"] }

    /// A login script that prints on stdout (sshd runs ~/.bashrc for a command when bash is
    /// the user's shell, as on Debian) came before the apply's JSON: every apply read as failed.
    @Test func aLoginScriptThatPrintsDoesNotHideTheResult() throws {
        let (server, fleet) = try ConvergeSSHTests.setUp()
        defer { ConvergeSSHTests.tearDown(server, fleet) }
        try "echo 'Welcome to the build box'\n".write(toFile: server.home + "/.bashrc", atomically: true, encoding: .utf8)
        try fleet.writeInventory([("timmy", fleet.sandboxVars("timmy")), ("ezra", fleet.sandboxVars("ezra", ConvergeSSHTests.remoteVars(server, fleet)))])
        let r = try fleet.converge(["--limit", "ezra", "--format", "json"])
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        #expect(Self.ezra(r)?["status"] as? String == "changed" && Self.ezra(r)?["generation"] as? Int == 1)
        let again = try fleet.converge(["--limit", "ezra", "--format", "json"])
        #expect(Self.ezra(again)?["status"] as? String == "ok", "\(again.stdout)")
    }

    /// `{"ok": true}` from a program that never read the bundle is no apply.
    @Test func aSuccessClaimWithoutAnApplyResultFailsTheHost() throws {
        let (server, fleet) = try ConvergeSSHTests.setUp()
        defer { ConvergeSSHTests.tearDown(server, fleet) }
        var remote = server.connectionVars
        remote["overlay_bin"] = fleet.quoted(try Self.fake(fleet, "liar", #"echo '{"ok": true}'"#))
        try fleet.writeInventory([("timmy", fleet.sandboxVars("timmy")), ("ezra", fleet.sandboxVars("ezra", remote))])
        let r = try fleet.converge(["--limit", "ezra", "--format", "json"])
        #expect(r.status == 1)
        #expect(Self.ezra(r)?["status"] as? String == "failed", "\(r.stdout)")
        #expect((Self.ezra(r)?["error"] as? String)?.contains("is overlay_bin an overlay?") == true, "\(r.stdout)")
    }

    /// Two wizards on one machine whose homes are spelled differently (one default, one the
    /// remote $HOME written out) share the default state dir there: both are refused before
    /// either runs (SPEC §3.4), every time, instead of undoing each other's generations.
    @Test func oneRemoteStateDirSpelledTwoWaysIsRefusedBeforeAnyHostRuns() throws {
        let (server, fleet) = try ConvergeSSHTests.setUp()
        defer { ConvergeSSHTests.tearDown(server, fleet) }
        var vars = ConvergeSSHTests.remoteVars(server, fleet)
        vars["overlay_crontab"] = fleet.quoted("file:" + fleet.crontab("ezra"))
        var spelled = vars
        spelled["overlay_home"] = fleet.quoted(server.home)
        spelled["managed_dir"] = fleet.quoted(fleet.managed("bilbo"))
        spelled["wizard_name"] = "bilbo"
        spelled["overlay_crontab"] = fleet.quoted("file:" + fleet.crontab("bilbo"))
        try fleet.writeInventory([("timmy", fleet.sandboxVars("timmy")), ("ezra", fleet.inline(vars)), ("bilbo", fleet.inline(spelled))])
        for _ in 0..<2 {
            let r = try fleet.converge(["--limit", "ezra:bilbo", "--format", "json"])
            #expect(r.status == 1)
            let hosts = r.json["hosts"] as? [String: [String: Any]] ?? [:]
            for name in ["ezra", "bilbo"] {
                #expect(hosts[name]?["status"] as? String == "failed", "\(r.stdout)")
                #expect((hosts[name]?["error"] as? String)?.contains("hosts ezra, bilbo share the state dir") == true, "\(r.stdout)")
            }
        }
        #expect(!FileManager.default.fileExists(atPath: server.home + "/.local/state/overlay/generations"), "neither host was applied")
    }

    /// A remote that prints without end no longer fills this machine's disk for the whole
    /// --host-timeout: ssh is stopped past 64 MiB and the host fails saying so.
    @Test func aRemoteThatPrintsWithoutEndIsStopped() throws {
        let (server, fleet) = try ConvergeSSHTests.setUp()
        defer { ConvergeSSHTests.tearDown(server, fleet) }
        var remote = server.connectionVars
        remote["overlay_bin"] = fleet.quoted(try Self.fake(fleet, "spew", "cat >/dev/null; head -c 80000000 /dev/zero; exec sleep 60"))
        try fleet.writeInventory([("timmy", fleet.sandboxVars("timmy")), ("ezra", fleet.sandboxVars("ezra", remote))])
        let started = Date()
        let r = try fleet.converge(["--limit", "ezra", "--format", "json", "--host-timeout", "50s"])
        #expect(Date().timeIntervalSince(started) < 40, "stopped by the output limit, not the time limit")
        #expect(Self.ezra(r)?["status"] as? String == "failed", "\(r.stdout)")
        #expect((Self.ezra(r)?["error"] as? String)?.contains("more than 64 MiB of output") == true, "\(r.stdout)")
    }

    /// A second SIGTERM stops at once, as the first one's message says, and leaves no `ssh`
    /// and no control folder behind.
    @Test func aSecondSIGTERMStopsAtOnceAndLeavesNoConnections() throws {
        let (server, fleet) = try ConvergeSSHTests.setUp()
        defer { ConvergeSSHTests.tearDown(server, fleet) }
        let started = fleet.root.path + "/remote-started"
        var remote = server.connectionVars
        remote["overlay_bin"] = fleet.quoted(try Self.fake(fleet, "slow", "cat >/dev/null; touch '\(started)'; exec sleep 40"))
        try fleet.writeInventory([("timmy", fleet.sandboxVars("timmy")), ("ezra", fleet.sandboxVars("ezra", remote))])
        let process = Process()
        process.executableURL = PackagePaths.binary
        process.arguments = ["converge", "--root", PackagePaths.root.path, "-i", fleet.inventory, "--limit", "ezra"]
        process.environment = ProcessInfo.processInfo.environment.merging(fleet.env) { $1 }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(30)
        while !FileManager.default.fileExists(atPath: started) && Date() < deadline { usleep(50_000) }
        #expect(FileManager.default.fileExists(atPath: started), "the remote apply began")
        let folder = "overlay-ssh-\(process.processIdentifier)-"
        kill(process.processIdentifier, SIGTERM)
        usleep(300_000)
        let signalled = Date()
        kill(process.processIdentifier, SIGTERM)
        process.waitUntilExit()
        #expect(process.terminationStatus == 143)
        #expect(Date().timeIntervalSince(signalled) < 10, "not the 30 s grace")
        let left = (try? FileManager.default.contentsOfDirectory(atPath: "/tmp"))?.filter { $0.hasPrefix(folder) } ?? []
        #expect(left.isEmpty, "control folder left: \(left)")
        let ps = Process()
        ps.executableURL = URL(fileURLWithPath: "/bin/ps")
        ps.arguments = ["-eo", "args"]
        let out = Pipe()
        ps.standardOutput = out
        try ps.run()
        let listing = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        ps.waitUntilExit()
        #expect(!listing.contains(folder), "an ssh of the run is still there")
    }
}

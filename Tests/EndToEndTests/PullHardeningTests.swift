import Foundation
import Testing

/// What an attack on `overlay pull` and `overlay serve` found, each reproduced and held:
/// a remote that never answers, a commit marked bad while it was fetched, checkouts a kept
/// generation still runs from, a second host sharing the state dir, a damaged mirror, and a
/// server shut down while its pull hangs.
@Suite(.serialized) struct PullHardeningTests {
    /// A TCP server that accepts connections and never answers (a stalled git remote); its
    /// URL, and the process to kill.
    static func stalledRemote() throws -> (url: String, server: Process) {
        let server = Process()
        server.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        server.arguments = [
            "-c",
            "import socket\ns=socket.socket(); s.bind(('127.0.0.1',0)); s.listen(16)\nprint(s.getsockname()[1], flush=True)\nc=[]\nwhile True: c.append(s.accept())",
        ]
        let out = Pipe()
        server.standardOutput = out
        // Nothing of the test run's own: `swift test` waits for every holder of its pipes.
        server.standardError = FileHandle.nullDevice
        server.standardInput = FileHandle.nullDevice
        try server.run()
        let line = String(decoding: out.fileHandleForReading.readData(ofLength: 6), as: UTF8.self)
        guard let port = Int(line.split(separator: "\n").first ?? "") else {
            kill(server.processIdentifier, SIGKILL)
            throw ScenarioError("the stalled remote did not start: '\(line)'")
        }
        return ("http://127.0.0.1:\(port)/fleet.git", server)
    }

    @Test func aRemoteThatNeverAnswersFailsThePullAtItsFetchTimeoutAndALockedPullExits75() throws {
        let f = try PullFixture()
        defer { f.cleanup() }
        let (url, server) = try Self.stalledRemote()
        defer { kill(server.processIdentifier, SIGKILL) }
        let started = Date()
        let hung = try runOverlay(
            ["pull", "--repo", url, "--fetch-timeout", "2", "--format", "json"], env: f.env, cwd: f.root, timeout: 60)
        let took = Date().timeIntervalSince(started)
        #expect(hung.status == 1, "\(hung.stdout)\(hung.stderr)")
        #expect(
            hung.json["result"] as? String == "failed" && (hung.json["error"] as? String)?.contains("--fetch-timeout") == true,
            "\(hung.stdout)")
        #expect(took < 30, "the pull took \(took) s against a 2 s fetch timeout")

        // While one pull waits on the remote, another gives up on the pull lock with exit 75.
        let first = Process()
        first.executableURL = PackagePaths.binary
        first.arguments = ["pull", "--repo", url, "--fetch-timeout", "20"]
        first.environment = ProcessInfo.processInfo.environment.merging(f.env) { $1 }
        try first.run()
        defer { if first.isRunning { kill(first.processIdentifier, SIGKILL) } }
        usleep(1_500_000)
        let second = try runOverlay(["pull", "--repo", url, "--lock-timeout", "1", "--format", "json"], env: f.env, cwd: f.root)
        #expect(second.status == 75, "\(second.stdout)\(second.stderr)")
    }

    @Test func aCommitMarkedBadWhileThePullWaitsForTheStateLockIsNotApplied() throws {
        let f = try PullFixture()
        defer { f.cleanup() }
        try f.commitAndPush("good")
        #expect(try f.pull().status == 0)
        try f.write("SOUL.md", "# Soul\n\nbroken agent\n")
        let bad = try f.commitAndPush("takes the agent down")
        // The deadman's rollback holds the state lock; the pull has fetched and passed its first check.
        let holder = Process()
        holder.executableURL = URL(fileURLWithPath: "/usr/bin/flock")
        holder.arguments = [f.state + "/lock", "sleep", "3"]
        try holder.run()
        usleep(300_000)
        let pull = Process()
        pull.executableURL = PackagePaths.binary
        pull.arguments = ["pull", "--repo", f.origin, "--format", "json"]
        pull.environment = ProcessInfo.processInfo.environment.merging(f.env) { $1 }.merging(["OVERLAY_HOSTNAME": "overlay-test-machine"]) {
            $1
        }
        let out = Pipe()
        pull.standardOutput = out
        try pull.run()
        usleep(1_500_000)
        // …and marks the commit bad before it lets go of the lock, as the deadman does.
        let record = f.state + "/pull.json"
        var json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: record))) as? [String: Any] ?? [:]
        json["bad"] = [["commit": bad, "time": "2026-12-05T12:00:00Z", "generation": 2, "reason": "agent down after 3 restarts"]]
        try JSONSerialization.data(withJSONObject: json).write(to: URL(fileURLWithPath: record))
        holder.waitUntilExit()
        let output = out.fileHandleForReading.readDataToEndOfFile()
        pull.waitUntilExit()
        let result = (try? JSONSerialization.jsonObject(with: output)) as? [String: Any] ?? [:]
        #expect(result["result"] as? String == "skipped", "\(String(decoding: output, as: UTF8.self))")
        #expect(f.liveSoul == "# Soul\n\nversion 1\n", "the bad commit went live")
    }

    @Test func checkoutsAKeptGenerationRunsFromSurviveRejectedCommits() throws {
        let f = try PullFixture()
        defer { f.cleanup() }
        let live = try f.commitAndPush("good")
        #expect(try f.pull().status == 0)
        for n in 1...2 {
            try f.write("config.yaml", "model: [broken \(n)\n")
            try f.commitAndPush("broken \(n)")
            #expect(try f.pull().json["result"] as? String == "rejected")
        }
        #expect(FileManager.default.fileExists(atPath: f.state + "/checkouts/" + live), "the live generation's checkout was pruned")
    }

    @Test func aSecondHostSharingTheStateDirIsAppliedNotCalledUnchanged() throws {
        let f = try PullFixture()
        defer { f.cleanup() }
        try f.write(
            "inventory/hosts.yml",
            "all:\n  vars:\n    timmy_home: ~/.timmy\n    golden_state_providers: [custom]\n  hosts:\n    timmy:\n      ansible_connection: local\n    ezra:\n      ansible_connection: local\n      timmy_home: ~/.ezra\n"
        )
        try f.commitAndPush("two hosts")
        #expect(try f.pull(["--host", "timmy"]).json["result"] as? String == "applied")
        let ezra = try f.pull(["--host", "ezra"])
        #expect(ezra.json["result"] as? String == "applied", "\(ezra.stdout)")
        #expect(FileManager.default.fileExists(atPath: f.home + "/.ezra/SOUL.md"))
    }

    @Test func aDamagedMirrorIsClonedAgainOnce() throws {
        let f = try PullFixture()
        defer { f.cleanup() }
        try f.commitAndPush("first")
        #expect(try f.pull().status == 0)
        let objects = f.state + "/mirror.git/objects"
        for name in try FileManager.default.contentsOfDirectory(atPath: objects) where name != "info" {
            try FileManager.default.removeItem(atPath: objects + "/" + name)
        }
        try f.write("SOUL.md", "# Soul\n\nversion 2\n")
        let second = try f.commitAndPush("second")
        let r = try f.pull()
        #expect(r.status == 0 && r.json["commit"] as? String == second, "\(r.stdout)\(r.stderr)")
        #expect(f.liveSoul == "# Soul\n\nversion 2\n")
    }

    @Test func serveRefusesAllowedSignersWithoutVerifySignatures() throws {
        let f = try PullFixture()
        defer { f.cleanup() }
        let secret = try ServeEndToEndTests.secretFile(f)
        let r = try runOverlay(
            ["serve", "--listen", "127.0.0.1:0", "--secret-file", secret, "--repo", f.origin, "--allowed-signers", secret], env: f.env)
        #expect(r.status == 2 && r.stderr.contains("--verify-signatures"), "\(r.stderr)")
    }

    @Test func serveStoppedWhileItsPullHangsTakesThePullDownWithIt() throws {
        let f = try PullFixture()
        defer { f.cleanup() }
        let (url, remote) = try Self.stalledRemote()
        defer { kill(remote.processIdentifier, SIGKILL) }
        let server = try ServeProcess(f, secretFile: try ServeEndToEndTests.secretFile(f), repo: url, extra: ["--shutdown-grace", "1s"])
        defer { server.stop() }
        #expect(try server.push(.generic, secret: ServeEndToEndTests.secret).status == 202)
        let pid = server.process.processIdentifier
        let running = try ServeProcess.eventually { !Self.children(of: pid).isEmpty }
        #expect(running, "no pull started")
        let pulls = Self.children(of: pid)
        #expect(server.stop(timeout: 30) == 0)
        let gone = try ServeProcess.eventually { pulls.allSatisfy { kill($0, 0) != 0 } }
        #expect(gone, "the pull \(pulls) outlived the server")
        let next = try runOverlay(["pull", "--repo", f.origin, "--lock-timeout", "2"], env: f.env, cwd: f.root)
        #expect(next.status != 75, "the pull lock is still held: \(next.stderr)")
    }

    /// The pids whose parent is `pid`.
    static func children(of pid: Int32) -> [Int32] {
        let all = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return all.compactMap(Int32.init).filter { child in
            guard let stat = try? String(contentsOfFile: "/proc/\(child)/stat", encoding: .utf8),
                let close = stat.lastIndex(of: ")")
            else { return false }
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            return fields.count > 2 && Int32(fields[1]) == pid
        }
    }
}

import Foundation
import Testing

/// `overlay pull` against real git repositories made with the git CLI (SPEC §3.5).
@Suite struct PullEndToEndTests {
    @Test func pullAppliesANewCommitAndRecordsItsIdAndTheSameCommitIsANoOp() throws {
        let f = try PullFixture()
        defer { f.cleanup() }
        let first = try f.commitAndPush("first")
        let r = try f.pull()
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        #expect(r.json["result"] as? String == "applied" && r.json["commit"] as? String == first)
        #expect(f.liveSoul == "# Soul\n\nversion 1\n")
        #expect(try f.generations().map { $0["commit"] as? String } == [first])

        let again = try f.pull()
        #expect(again.status == 0 && again.json["result"] as? String == "unchanged", "\(again.stdout)")
        #expect(try f.generations().count == 1, "the same commit twice builds nothing")

        try f.write("SOUL.md", "# Soul\n\nversion 2\n")
        let second = try f.commitAndPush("second")
        let next = try f.pull(["--format", "json"])
        #expect(next.json["result"] as? String == "applied" && next.json["generation"] as? Int == 2)
        #expect(f.liveSoul == "# Soul\n\nversion 2\n")
        #expect(try f.generations().map { $0["commit"] as? String } == [first, second])
    }

    @Test func anInvalidCommitIsRejectedTheOldGenerationStaysLiveAndAGoodOneApplies() throws {
        let f = try PullFixture()
        defer { f.cleanup() }
        try f.commitAndPush("good")
        #expect(try f.pull().status == 0)
        let before = try Data(contentsOf: URL(fileURLWithPath: f.home + "/.timmy/SOUL.md"))

        try f.write("SOUL.md", "# Soul\n\nversion 2\n")
        try f.write("config.yaml", "model:\n  default: local-model\n  provider: anthropic\n")
        let bad = try f.commitAndPush("ban me")
        let r = try f.pull()
        #expect(r.status == 1)
        #expect(r.json["result"] as? String == "rejected" && r.json["commit"] as? String == bad)
        let diagnostics = r.json["diagnostics"] as? [[String: Any]] ?? []
        #expect(diagnostics.contains { $0["rule"] as? String == "policy.banned-provider" && $0["file"] as? String == "config.yaml" })
        #expect(try Data(contentsOf: URL(fileURLWithPath: f.home + "/.timmy/SOUL.md")) == before, "byte for byte the old file")
        #expect(try f.generations().count == 1)
        let status = try runOverlay(["status", "--format", "json"], env: f.env, cwd: f.root)
        let lastPull = status.json["last_pull"] as? [String: Any]
        #expect(lastPull?["result"] as? String == "rejected" && lastPull?["commit"] as? String == bad, "\(status.stdout)")
        let rejected = status.json["rejected_commits"] as? [[String: Any]] ?? []
        #expect(rejected.first?["commit"] as? String == bad)

        try f.write("config.yaml", "model:\n  default: local-model\n  provider: custom\n")
        let fixed = try f.commitAndPush("fix")
        let ok = try f.pull()
        #expect(ok.status == 0 && ok.json["commit"] as? String == fixed && ok.json["result"] as? String == "applied")
        #expect(f.liveSoul == "# Soul\n\nversion 2\n")
    }

    @Test func aFetchFromAMissingRemoteFailsCleanly() throws {
        let f = try PullFixture()
        defer { f.cleanup() }
        try f.commitAndPush("good")
        #expect(try f.pull().status == 0)
        let r = try runOverlay(["pull", "--repo", f.root.path + "/gone.git", "--format", "json"], env: f.env, cwd: f.root)
        #expect(r.status == 1)
        #expect(r.json["result"] as? String == "failed")
        #expect((r.json["error"] as? String)?.contains("gone.git") == true, "\(r.stdout)")
        #expect(f.liveSoul == "# Soul\n\nversion 1\n")
        #expect(try f.generations().count == 1)
    }

    @Test func aCommitMarkedBadIsSkippedUntilTheRefMoves() throws {
        let f = try PullFixture()
        defer { f.cleanup() }
        try f.commitAndPush("good")
        #expect(try f.pull().status == 0)
        try f.write("SOUL.md", "# Soul\n\nbroken agent\n")
        let bad = try f.commitAndPush("takes the agent down")
        // As the deadman marks it after rolling back from it.
        let record = f.state + "/pull.json"
        var json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: record))) as? [String: Any] ?? [:]
        json["bad"] = [["commit": bad, "time": "2026-12-05T12:00:00Z", "generation": 2, "reason": "agent down after 3 restarts"]]
        try JSONSerialization.data(withJSONObject: json).write(to: URL(fileURLWithPath: record))

        let skipped = try f.pull()
        #expect(skipped.status == 0 && skipped.json["result"] as? String == "skipped", "\(skipped.stdout)")
        #expect((skipped.json["reason"] as? String)?.contains("marked bad") == true)
        #expect(f.liveSoul == "# Soul\n\nversion 1\n")

        try f.write("SOUL.md", "# Soul\n\nfixed\n")
        try f.commitAndPush("fix forward")
        let moved = try f.pull()
        #expect(moved.json["result"] as? String == "applied" && f.liveSoul == "# Soul\n\nfixed\n")
    }

    @Test func signedCommitsFromAnAllowedKeyApplyOthersAreRefused() throws {
        let f = try PullFixture()
        defer { f.cleanup() }
        let keys = f.root.path + "/keys"
        try FileManager.default.createDirectory(atPath: keys, withIntermediateDirectories: true)
        for name in ["alice", "mallory"] {
            let r = try runProcess("/usr/bin/ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", name, "-f", keys + "/" + name])
            #expect(r.status == 0)
        }
        let alice = try String(contentsOfFile: keys + "/alice.pub", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        try "admin@example.invalid namespaces=\"git\" \(alice)\n".write(toFile: keys + "/allowed", atomically: true, encoding: .utf8)
        let verify = ["--verify-signatures", "--allowed-signers", keys + "/allowed"]

        let unsigned = try f.commitAndPush("unsigned")
        let r1 = try f.pull(verify)
        #expect(r1.status == 1 && r1.json["result"] as? String == "rejected" && r1.json["commit"] as? String == unsigned)
        #expect((r1.json["error"] as? String)?.contains("not signed") == true || (r1.json["error"] as? String)?.contains("unsigned") == true, "\(r1.stdout)")
        #expect(f.liveSoul == nil)

        try f.write("SOUL.md", "# Soul\n\nby mallory\n")
        try f.commitAndPush("mallory", sign: keys + "/mallory")
        let r2 = try f.pull(verify)
        #expect(r2.status == 1 && r2.json["result"] as? String == "rejected", "\(r2.stdout)")
        #expect(f.liveSoul == nil)

        try f.write("SOUL.md", "# Soul\n\nby alice\n")
        let good = try f.commitAndPush("alice", sign: keys + "/alice")
        let r3 = try f.pull(verify)
        #expect(r3.status == 0 && r3.json["result"] as? String == "applied" && r3.json["commit"] as? String == good, "\(r3.stdout)")
        #expect(f.liveSoul == "# Soul\n\nby alice\n")
    }
}

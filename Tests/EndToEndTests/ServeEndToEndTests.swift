import Foundation
import Testing

/// `overlay serve` as a running process: real HTTP requests on loopback (curl), real git
/// repositories, and the pull each accepted push runs (SPEC §3.5).
@Suite(.serialized) struct ServeEndToEndTests {
    static let secret = "it's a secret to everybody"

    static func secretFile(_ f: PullFixture, _ lines: [String] = [secret]) throws -> String {
        let path = f.root.path + "/webhook-secret"
        try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        chmod(path, 0o600)
        return path
    }

    /// Finished runs by result, from `/metrics`.
    static func runs(_ server: ServeProcess) throws -> Int {
        let text = try server.request("GET", "/metrics").body
        return text.split(separator: "\n").filter { $0.hasPrefix("overlay_webhook_runs_total{") }
            .compactMap { Int($0.split(separator: " ").last ?? "") }.reduce(0, +)
    }

    @Test func everySenderKindIsAcceptedAndThePullReallyHappens() throws {
        let f = try PullFixture()
        defer { f.cleanup() }
        try f.commitAndPush("first")
        let server = try ServeProcess(f, secretFile: try Self.secretFile(f))
        defer { server.stop() }
        #expect(try server.request("GET", "/healthz").status == 200)
        for (n, sender) in ServeProcess.Sender.allCases.enumerated() {
            try f.write("SOUL.md", "# Soul\n\nversion \(n + 2)\n")
            let commit = try f.commitAndPush("for \(sender.rawValue)")
            let r = try server.push(sender, secret: Self.secret)
            #expect(r.status == 202, "\(sender): \(r.body)")
            let applied = try ServeProcess.eventually { f.liveSoul == "# Soul\n\nversion \(n + 2)\n" }
            #expect(applied, "\(sender): the push's pull never applied the new commit")
            let recorded = try ServeProcess.eventually { (try server.status()["last_run"] as? [String: Any])?["commit"] as? String == commit }
            #expect(recorded, "\(sender): /status names the commit the run applied")
        }
        #expect(try f.generations().count == 5)
    }

    @Test func wrongMissingAndTruncatedSignaturesAre401AndStartNothing() throws {
        let f = try PullFixture()
        defer { f.cleanup() }
        try f.commitAndPush("first")
        let server = try ServeProcess(f, secretFile: try Self.secretFile(f))
        defer { server.stop() }
        let good = ServeProcess.hmac(#"{"ref":"refs/heads/main","after":"0000000000000000000000000000000000000000"}"#, secret: Self.secret)
        let cases: [(ServeProcess.Sender, String?)] = [
            (.github, ServeProcess.hmac("x", secret: Self.secret)), (.github, ""), (.github, String(good.dropLast(2))),
            (.gitea, ServeProcess.hmac("y", secret: "another")), (.gitlab, "not the secret"), (.generic, ""),
        ]
        for (sender, signature) in cases {
            let r = try server.push(sender, secret: Self.secret, signature: signature)
            #expect(r.status == 401, "\(sender) with \(signature ?? "nil"): \(r.status) \(r.body)")
        }
        usleep(500_000)
        #expect(try Self.runs(server) == 0)
        #expect(f.liveSoul == nil, "no pull ran")
    }

    @Test func theOldAndTheNewSecretBothWorkWhileRotating() throws {
        let f = try PullFixture()
        defer { f.cleanup() }
        try f.commitAndPush("first")
        let server = try ServeProcess(f, secretFile: try Self.secretFile(f, ["old-secret", "new-secret"]))
        defer { server.stop() }
        #expect(try server.push(.github, secret: "old-secret").status == 202)
        #expect(try server.push(.gitea, secret: "new-secret").status == 202)
        #expect(try server.push(.github, secret: "neither").status == 401)
        #expect(try ServeProcess.eventually { f.liveSoul != nil })
    }

    @Test func anOversizedBodyIs413AndMalformedJSONIs400AndTheServerLivesOn() throws {
        let f = try PullFixture()
        defer { f.cleanup() }
        try f.commitAndPush("first")
        let server = try ServeProcess(f, secretFile: try Self.secretFile(f), extra: ["--body-limit", "4096"])
        defer { server.stop() }
        let big = #"{"ref":"refs/heads/main","pad":""# + String(repeating: "x", count: 8192) + #""}"#
        #expect(try server.push(.github, secret: Self.secret, body: big).status == 413)
        #expect(try server.push(.github, secret: Self.secret, body: "{not json").status == 400)
        #expect(try server.request("GET", "/healthz").status == 200)
        #expect(try Self.runs(server) == 0)
    }

    @Test func aReplayedDeliveryDoesNothingAlsoAfterARestart() throws {
        let f = try PullFixture()
        defer { f.cleanup() }
        try f.commitAndPush("first")
        let secret = try Self.secretFile(f)
        var server = try ServeProcess(f, secretFile: secret)
        #expect(try server.push(.github, secret: Self.secret, delivery: "delivery-1").status == 202)
        #expect(try ServeProcess.eventually { try Self.runs(server) == 1 })
        let again = try server.push(.github, secret: Self.secret, delivery: "delivery-1")
        #expect(again.status == 202 && again.body.contains("duplicate"), "\(again.body)")
        #expect(server.stop() == 0)
        server = try ServeProcess(f, secretFile: secret)
        defer { server.stop() }
        let replay = try server.push(.github, secret: Self.secret, delivery: "delivery-1")
        #expect(replay.status == 202 && replay.body.contains("duplicate"), "\(replay.body)")
        usleep(500_000)
        #expect(try Self.runs(server) == 0, "the restarted server remembered the delivery and ran nothing")
    }

    @Test func twentyPushesInABurstLeadToAtMostTwoRunsEndingOnTheNewestCommit() throws {
        let f = try PullFixture()
        defer { f.cleanup() }
        // A handler that takes 5 s keeps the first run busy while the burst arrives.
        try f.write(
            "playbooks/site.yaml",
            "hosts: all\nhomes:\n  timmy: \"{{ timmy_home }}\"\nfiles:\n  - {src: SOUL.md, dest: \"{{ timmy_home }}/SOUL.md\"}\nproviders: \"{{ golden_state_providers }}\"\nhandlers:\n  slow:\n    run: \"sleep 5\"\n    on_change: [\"{{ timmy_home }}/SOUL.md\"]\n"
        )
        try f.commitAndPush("first")
        let server = try ServeProcess(f, secretFile: try Self.secretFile(f))
        defer { server.stop() }
        #expect(try server.push(.github, secret: Self.secret).status == 202)
        #expect(try ServeProcess.eventually { (try server.status()["running"] as? Bool) == true })
        // While it runs, commits land and their 20 deliveries arrive at once.
        var newest = ""
        for i in 0..<3 {
            try f.write("SOUL.md", "# Soul\n\nburst \(i)\n")
            newest = try f.commitAndPush("burst \(i)")
        }
        nonisolated(unsafe) var answered = Array(repeating: 0, count: 20)
        DispatchQueue.concurrentPerform(iterations: 20) { i in
            answered[i] = (try? server.push(.gitea, secret: Self.secret).status) ?? 0
        }
        #expect(answered.allSatisfy { $0 == 202 }, "\(answered)")
        let settled = try ServeProcess.eventually(120) {
            let status = try server.status()
            return status["running"] as? Bool == false && status["waiting_pushes"] as? Int == 0
                && f.liveSoul == "# Soul\n\nburst 2\n"
        }
        #expect(settled)
        let runs = try Self.runs(server)
        #expect(runs == 2, "21 deliveries ran \(runs) pulls: the first, and one for the whole burst")
        let lastRun = try server.status()["last_run"] as? [String: Any]
        #expect(lastRun?["commit"] as? String == newest, "the last run applied the newest commit")
    }

    @Test func sigtermMidRunLetsTheRunFinishAndExitsZero() throws {
        let f = try PullFixture()
        defer { f.cleanup() }
        // A handler that takes 3 s: the run is still going when SIGTERM arrives.
        try f.write(
            "playbooks/site.yaml",
            "hosts: all\nhomes:\n  timmy: \"{{ timmy_home }}\"\nfiles:\n  - {src: SOUL.md, dest: \"{{ timmy_home }}/SOUL.md\"}\nproviders: \"{{ golden_state_providers }}\"\nhandlers:\n  slow:\n    run: \"sleep 3; echo done > {{ timmy_home }}/handler-ran\"\n    on_change: [\"{{ timmy_home }}/SOUL.md\"]\n"
        )
        try f.commitAndPush("slow")
        let server = try ServeProcess(f, secretFile: try Self.secretFile(f))
        #expect(try server.push(.github, secret: Self.secret).status == 202)
        #expect(try ServeProcess.eventually { (try server.status()["running"] as? Bool) == true })
        let code = server.stop()
        #expect(code == 0)
        #expect(FileManager.default.fileExists(atPath: f.home + "/.timmy/handler-ran"), "the run in progress finished")
        #expect(f.liveSoul == "# Soul\n\nversion 1\n")
    }
}

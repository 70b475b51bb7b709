import Foundation
import Testing

@Suite struct ApplyEndToEndTests {
    @Test func applyPlacesSymlinksAndASecondApplyReportsZeroChanges() throws {
        let box = try ApplySandbox()
        defer { box.cleanup() }
        let b = try box.write(
            box.bundle([("config.yaml", "model: local\n"), ("skills/a.md", "A\n"), ("chan.json", "{}\n")], copies: ["chan.json"]))
        let first = try box.apply(b, ["--format", "json"])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.json["generation"] as? Int == 1 && first.json["switched"] as? Bool == true)
        #expect((first.json["summary"] as? [String: Int])?["created"] == 3)
        let link = try FileManager.default.destinationOfSymbolicLink(atPath: box.hermes + "/config.yaml")
        #expect(link == box.state + "/current/files/hermes/config.yaml")
        #expect(box.read("skills/a.md") == "A\n")
        #expect((try? FileManager.default.destinationOfSymbolicLink(atPath: box.hermes + "/chan.json")) == nil)
        let second = try box.apply(b, ["--format", "json"])
        let s = second.json["summary"] as? [String: Int] ?? [:]
        #expect(second.status == 0 && s["created"] == 0 && s["updated"] == 0 && s["deleted"] == 0 && s["unchanged"] == 3)
        #expect(second.json["switched"] as? Bool == false)
        let gens = try runOverlay(["generations", "--format", "json"], env: box.env)
        #expect((gens.json["generations"] as? [[String: Any]])?.count == 1)
    }

    @Test func verboseTextListsUnchangedPathsToo() throws {
        let box = try ApplySandbox()
        defer { box.cleanup() }
        _ = try box.apply(try box.write(box.bundle([("a.txt", "a\n"), ("b.txt", "b\n")])))
        let next = try box.write(box.bundle([("a.txt", "a\n"), ("b.txt", "changed\n")]), name: "b2.json")
        func actions(_ stdout: String) -> [String] {
            stdout.split(separator: "\n").compactMap { line in
                let words = line.split(separator: " ")
                guard words.count == 2, words[1].hasPrefix(box.hermes + "/") else { return nil }
                return "\(words[0]) \(words[1].dropFirst(box.hermes.count + 1))"
            }
        }
        let plain = try runOverlay(["diff", "--bundle", next], env: box.env)
        #expect(plain.status == 0 && actions(plain.stdout) == ["updated b.txt"], "\(plain.stdout)")
        let verbose = try box.apply(next, ["-v"])
        #expect(verbose.status == 0, "\(verbose.stderr)")
        #expect(actions(verbose.stdout).sorted() == ["unchanged a.txt", "updated b.txt"], "\(verbose.stdout)")
    }

    @Test func dryRunAndDiffChangeNothingAndRedactSecrets() throws {
        let box = try ApplySandbox()
        defer { box.cleanup() }
        var bundle = box.bundle([("k.env", "TOKEN=supersecret\n"), ("a.txt", "one\n")])
        var files = bundle["files"] as! [[String: Any]]
        files[0]["secret"] = true
        bundle["files"] = files
        _ = try box.apply(try box.write(bundle))
        files[0]["content"] = Data("TOKEN=other\n".utf8).base64EncodedString()
        files[1]["content"] = Data("two\n".utf8).base64EncodedString()
        bundle["files"] = files
        let before = box.snapshot()
        let diff = try runOverlay(["diff", "--bundle", try box.write(bundle, name: "b2.json")], env: box.env)
        #expect(diff.status == 0)
        #expect(diff.stdout.contains("-one\n+two\n"))
        #expect(diff.stdout.contains("<redacted>") && !diff.stdout.contains("supersecret") && !diff.stdout.contains("other"))
        #expect(box.snapshot() == before && box.read("a.txt") == "one\n")
    }

    @Test func rollbackStatusDriftAndPruningThroughTheCLI() throws {
        let box = try ApplySandbox()
        defer { box.cleanup() }
        for i in 1...4 { _ = try box.apply(try box.write(box.bundle([("a.txt", "v\(i)\n")])), ["--keep", "2"]) }
        let gens = try runOverlay(["generations", "--format", "json"], env: box.env)
        #expect((gens.json["generations"] as? [[String: Any]])?.compactMap { $0["number"] as? Int } == [3, 4])
        let back = try runOverlay(["rollback"], env: box.env)
        #expect(back.status == 0 && box.read("a.txt") == "v3\n")
        try box.editThroughSymlink("a.txt", appending: "hand edit\n")
        let status = try runOverlay(["status", "--format", "json"], env: box.env)
        #expect(status.status == 1 && status.json["ok"] as? Bool == false)
        #expect((status.json["drift"] as? [[String: String]])?.first?["kind"] == "edited")
    }

    /// A damaged pull.json (the commits pull must skip) is a finding: exit 1, the file named.
    @Test func statusReportsADamagedPullRecordAndExitsOne() throws {
        let box = try ApplySandbox()
        defer { box.cleanup() }
        _ = try box.apply(try box.write(box.bundle([("a.txt", "v1\n")])))
        #expect(try runOverlay(["status"], env: box.env).status == 0)
        try "{not json".write(toFile: box.state + "/pull.json", atomically: true, encoding: .utf8)
        let text = try runOverlay(["status"], env: box.env)
        #expect(text.status == 1 && text.stdout.contains(box.state + "/pull.json"), "\(text.stdout)\(text.stderr)")
        let json = try runOverlay(["status", "--format", "json"], env: box.env)
        #expect(json.status == 1 && json.json["ok"] as? Bool == false)
    }

    @Test func failingHandlerExitsOneButTheNewGenerationStaysLive() throws {
        let box = try ApplySandbox()
        defer { box.cleanup() }
        let handler: [String: Any] = [
            "name": "restart-agent", "run": "echo restarting; exit 3", "on_change": [box.hermes + "/config.yaml"],
        ]
        let r = try box.apply(try box.write(box.bundle([("config.yaml", "x\n")], handlers: [handler])))
        #expect(r.status == 1)
        #expect(r.stderr.contains("restart-agent") && r.stderr.contains("stays live"))
        #expect(box.read("config.yaml") == "x\n")
        let log = try String(contentsOfFile: box.state + "/logs/handlers.log", encoding: .utf8)
        #expect(log.contains("restarting"))
    }

    @Test func handlerPastItsOwnTimeoutIsKilledAndReported() throws {
        let box = try ApplySandbox()
        defer { box.cleanup() }
        let handler: [String: Any] = [
            "name": "reload", "run": "echo reloading; sleep 60", "on_change": [box.hermes + "/config.yaml"], "timeout": 1,
        ]
        let start = Date()
        let r = try box.apply(try box.write(box.bundle([("config.yaml", "x\n")], handlers: [handler])))
        #expect(Date().timeIntervalSince(start) < 30, "the handler's 1 s timeout was not applied")
        #expect(r.status == 1)
        #expect(box.read("config.yaml") == "x\n")
        let log = try String(contentsOfFile: box.state + "/logs/handlers.log", encoding: .utf8)
        #expect(log.contains("reloading") && log.contains("ran longer than 1 s and was killed"), "\(log)")
    }

    /// A handler that starts the agent in the background (`agent &`) must not keep apply
    /// waiting for the agent to exit: before handlers ran as their own process group with
    /// file-backed output, apply hung on the daemon's copy of its output pipe.
    @Test func handlerThatLeavesADaemonBehindDoesNotHoldApply() throws {
        let box = try ApplySandbox()
        defer { box.cleanup() }
        let pidFile = box.root.path + "/daemon.pid"
        defer {
            if let pid = try? String(contentsOfFile: pidFile, encoding: .utf8),
                let n = Int32(pid.trimmingCharacters(in: .whitespacesAndNewlines))
            {
                kill(n, SIGKILL)
            }
        }
        let handler: [String: Any] = [
            "name": "start-agent", "run": "echo starting; sleep 600 & echo $! > '\(pidFile)'", "on_change": [box.hermes + "/config.yaml"],
        ]
        let start = Date()
        let r = try box.apply(try box.write(box.bundle([("config.yaml", "x\n")], handlers: [handler])))
        #expect(r.status == 0, "\(r.stderr)")
        #expect(Date().timeIntervalSince(start) < 60, "apply waited for the handler's background process")
        let daemon = try #require(
            Int32((try? String(contentsOfFile: pidFile, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""))
        #expect(kill(daemon, 0) == 0, "the handler's background process should still be running after apply")
        let log = try String(contentsOfFile: box.state + "/logs/handlers.log", encoding: .utf8)
        #expect(log.contains("starting"))
    }

    /// Handlers get no `OVERLAY_SECRET_*` variable (their output is logged), and what a
    /// background process they start writes later still lands in the handler log.
    @Test func handlersSeeNoSecretsAndTheirBackgroundOutputReachesTheLog() throws {
        let box = try ApplySandbox()
        defer { box.cleanup() }
        var env = box.env
        env["OVERLAY_SECRET_API_TOKEN"] = "handler-must-not-see-this"
        let handler: [String: Any] = [
            "name": "noisy", "run": "env; (sleep 1; echo late-line-from-background) &", "on_change": [box.hermes + "/config.yaml"],
        ]
        let r = try runOverlay(["apply", "--bundle", try box.write(box.bundle([("config.yaml", "x\n")], handlers: [handler]))], env: env)
        #expect(r.status == 0, "\(r.stderr)")
        let logPath = box.state + "/logs/handlers.log"
        var log = try String(contentsOfFile: logPath, encoding: .utf8)
        #expect(log.contains("PATH=") && !log.contains("handler-must-not-see-this"), "the handler ran env, without the secret")
        #expect(log.contains("== handler noisy exit 0"))
        // The background line comes a second after apply; a loaded machine may take longer.
        let deadline = Date().addingTimeInterval(30)
        while !log.contains("late-line-from-background") && Date() < deadline {
            Thread.sleep(forTimeInterval: 0.2)
            log = try String(contentsOfFile: logPath, encoding: .utf8)
        }
        #expect(log.contains("late-line-from-background"))
    }

    @Test func refusalsExitOneAndLeaveTheHomesUnchanged() throws {
        let box = try ApplySandbox()
        defer { box.cleanup() }
        _ = try box.apply(try box.write(box.bundle([("a.txt", "a\n")])))
        try FileManager.default.createSymbolicLink(atPath: box.hermes + "/etc", withDestinationPath: "/etc")
        let cases: [([String: String], String)] = [
            ([box.root.path + "/outside.txt": "x"], "outside every declared home"),
            ([box.hermes + "/hermes-agent/run.py": "x"], "protected path"),
            ([box.hermes + "/../escape.txt": "x"], "'..'"),
            ([box.hermes + "/etc/overlay-pwned": "x"], "never follows a symlink"),
        ]
        for (extra, message) in cases {
            let before = box.snapshot()
            let bundle = box.bundle([("a.txt", "changed\n")], protected: [box.hermes + "/hermes-agent"], extraDests: extra)
            let r = try box.apply(try box.write(bundle))
            #expect(r.status == 1, "\(extra)")
            #expect(r.stderr.contains(message), "\(r.stderr)")
            #expect(box.snapshot() == before)
            #expect(box.read("a.txt") == "a\n")
            let json = try box.apply(try box.write(bundle), ["--format", "json"]).json
            #expect(json["ok"] as? Bool == false && json["switched"] as? Bool == false)
            #expect(json["generation"] as? Int == 1, "the JSON names the generation that stays live")
        }
        #expect(!FileManager.default.fileExists(atPath: "/etc/overlay-pwned"))
    }

    @Test func contractCommandsPrintJSONInAnEmptySandbox() throws {
        let box = try ApplySandbox()
        defer { box.cleanup() }
        let apply = try runOverlay(
            ["apply", "--root", PackagePaths.root.path, "--dry-run", "--format", "json"], env: try box.envWithSecret())
        #expect(apply.status == 0, "\(apply.stdout)\n\(apply.stderr)")
        #expect(apply.json["ok"] as? Bool == true && apply.json["host"] as? String == "timmy")
        #expect(apply.json["switched"] as? Bool == false && apply.json["generation"] is NSNull)
        let summary = apply.json["summary"] as? [String: Int] ?? [:]
        #expect((summary["created"] ?? 0) > 0 && summary["updated"] == 0 && summary["deleted"] == 0, "\(summary)")
        #expect(box.snapshot().allSatisfy { $0 == ".hermes: <dir>" }, "a dry run changes nothing")
        let status = try runOverlay(["status", "--root", PackagePaths.root.path, "--format", "json"], env: box.env)
        #expect(status.status == 0 && status.json["ok"] as? Bool == true)
    }
}

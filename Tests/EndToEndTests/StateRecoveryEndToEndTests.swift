import Foundation
import Testing

/// What a state dir, a crontab or a log left in a bad way by something other than overlay
/// (a deleted generation, a failed crontab install, an unwritable log, a killed run) does to
/// the next run and to `status`.
@Suite struct StateRecoveryEndToEndTests {
    func crontab(_ box: ApplySandbox) -> String {
        (try? String(contentsOfFile: box.root.path + "/crontab", encoding: .utf8)) ?? ""
    }

    func withJob(_ box: ApplySandbox, _ files: [(String, String)], schedule: String) -> [String: Any] {
        var b = box.bundle(files)
        b["cron_jobs"] = [["name": "beat", "schedule": schedule, "command": "/bin/true"]]
        return b
    }

    @Test func aCurrentPointingAtAMissingGenerationIsRecoveredAndSaidSo() throws {
        let box = try ApplySandbox()
        defer { box.cleanup() }
        #expect(try box.apply(try box.write(box.bundle([("a.txt", "v1\n")]))).status == 0)
        #expect(try box.apply(try box.write(box.bundle([("a.txt", "v2\n")]), name: "b2.json")).status == 0)
        #expect(try box.apply(try box.write(box.bundle([("a.txt", "v3\n")]), name: "b3.json")).status == 0)
        try FileManager.default.removeItem(atPath: box.state + "/generations/3")

        let status = try runOverlay(["status", "--format", "json"], env: box.env)
        #expect(status.status == 1, "\(status.stdout)\(status.stderr)")
        let notices = status.json["notices"] as? [String] ?? []
        #expect(notices.contains { $0.contains("generation 3, which is missing") && $0.contains("generation 2") }, "\(status.stdout)")
        let text = try runOverlay(["status"], env: box.env)
        #expect(text.stdout.contains("current points at generation 3, which is missing"), "\(text.stdout)\(text.stderr)")

        // A plain apply is not blocked: it switches back to the newest complete generation first.
        let apply = try box.apply(try box.write(box.bundle([("a.txt", "v4\n")]), name: "b4.json"))
        #expect(apply.status == 0, "\(apply.stdout)\(apply.stderr)")
        #expect(apply.stderr.contains("current pointed at generation 3, which is missing; switched to generation 2"), "\(apply.stderr)")
        #expect(box.read("a.txt") == "v4\n")
        let back = try runOverlay(["rollback", "--format", "json"], env: box.env)
        #expect(back.status == 0 && back.json["generation"] as? Int == 2, "\(back.stdout)\(back.stderr)")
        #expect(box.read("a.txt") == "v2\n")
    }

    @Test func rollbackAndForceAreNotBlockedByADanglingCurrentEither() throws {
        let box = try ApplySandbox()
        defer { box.cleanup() }
        #expect(try box.apply(try box.write(box.bundle([("a.txt", "v1\n")]))).status == 0)
        #expect(try box.apply(try box.write(box.bundle([("a.txt", "v2\n")]), name: "b2.json")).status == 0)
        try FileManager.default.removeItem(atPath: box.state + "/generations/2")
        let back = try runOverlay(["rollback", "--to", "1"], env: box.env)
        #expect(back.status == 0, "\(back.stdout)\(back.stderr)")
        #expect(back.stderr.contains("switched to generation 1"), "\(back.stderr)")
        #expect(box.read("a.txt") == "v1\n")
        try FileManager.default.removeItem(atPath: box.state + "/generations/1")
        // No complete generation left: the next apply builds one, --force or not.
        let forced = try box.apply(try box.write(box.bundle([("a.txt", "v3\n")]), name: "b3.json"), ["--force"])
        #expect(forced.status == 0, "\(forced.stdout)\(forced.stderr)")
        #expect(forced.stderr.contains("no complete generation is left"), "\(forced.stderr)")
        #expect(box.read("a.txt") == "v3\n")
    }

    @Test func statusShowsACrontabBlockThatDisagreesWithTheLiveGeneration() throws {
        let box = try ApplySandbox()
        defer { box.cleanup() }
        #expect(try box.apply(try box.write(withJob(box, [("a.txt", "v1\n")], schedule: "@daily"))).status == 0)
        let clean = try runOverlay(["status", "--format", "json"], env: box.env)
        #expect(clean.status == 0 && (clean.json["crontab"] as? [String: Any])?["in_sync"] as? Bool == true, "\(clean.stdout)")
        // What a failed crontab install after the switch, or an interrupted converge, leaves:
        // the files of generation 2, the block of generation 1.
        let old = crontab(box)
        #expect(try box.apply(try box.write(withJob(box, [("a.txt", "v2\n")], schedule: "@hourly"), name: "b2.json")).status == 0)
        try old.write(toFile: box.root.path + "/crontab", atomically: true, encoding: .utf8)

        let status = try runOverlay(["status", "--format", "json"], env: box.env)

        #expect(status.status == 1 && status.json["ok"] as? Bool == false, "\(status.stdout)")
        let cron = status.json["crontab"] as? [String: Any]
        #expect(cron?["in_sync"] as? Bool == false && cron?["changed"] as? [String] == ["beat"], "\(status.stdout)")
        let text = try runOverlay(["status"], env: box.env)
        #expect(text.stdout.contains("differs from generation 2 (files and crontab disagree): changed beat"), "\(text.stdout)")
        #expect(try box.apply(try box.write(withJob(box, [("a.txt", "v2\n")], schedule: "@hourly"), name: "b2.json")).status == 0)
        #expect(try runOverlay(["status"], env: box.env).status == 0, "the next apply reinstalls the block")
    }

    @Test func aHandlerRunsWhenItsLogCannotBeOpened() throws {
        let box = try ApplySandbox()
        defer { box.cleanup() }
        let ran = box.root.path + "/ran"
        let b = box.bundle(
            [("a.txt", "v1\n")],
            handlers: [["name": "restart-agent", "run": "echo restarted; echo x > '\(ran)'", "on_change": [box.hermes + "/a.txt"]]])
        // A folder where the log file goes: open(2) fails even for root.
        try FileManager.default.createDirectory(atPath: box.state + "/logs/handlers.log", withIntermediateDirectories: true)

        let r = try box.apply(try box.write(b))

        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
        #expect(FileManager.default.fileExists(atPath: ran), "the handler ran")
        #expect(r.stderr.contains("warning: cannot write the handler log \(box.state)/logs/handlers.log"), "\(r.stderr)")
        #expect(r.stderr.contains("restarted"), "its output went to stderr: \(r.stderr)")
    }

    @Test func crontabTemporaryFilesOfKilledRunsAreSwept() throws {
        let box = try ApplySandbox()
        defer { box.cleanup() }
        // A PID that is not running (PIDs stay below 2^22 on Linux) and ours, which is.
        let dead = box.root.path + "/.crontab.overlay-4999999-17"
        let alive = box.root.path + "/.crontab.overlay-\(getpid())-18"
        for path in [dead, alive] { try "partial\n".write(toFile: path, atomically: false, encoding: .utf8) }
        #expect(try box.apply(try box.write(withJob(box, [("a.txt", "v1\n")], schedule: "@daily"))).status == 0)
        #expect(!FileManager.default.fileExists(atPath: dead), "the killed run's temporary file is gone")
        #expect(FileManager.default.fileExists(atPath: alive), "a running process's file is left alone")
        #expect(crontab(box).contains("@daily"))
    }

    @Test func theLastRenameInTheHomeIsFollowedByAnFsyncOfItsFolder() throws {
        let box = try ApplySandbox()
        defer { box.cleanup() }
        #expect(try box.apply(try box.write(box.bundle([("a.txt", "v1\n"), ("old.txt", "o\n")]))).status == 0)
        let log = box.root.path + "/calls.log"
        let second = try box.write(
            box.bundle([("a.txt", "v1\n"), ("sub/new.txt", "n\n"), ("c.json", "{}\n")], copies: ["c.json"]), name: "b2.json")
        let r = try runOverlay(
            ["apply", "--bundle", second], env: box.env.merging(try FaultShim.environment(paths: [box.home], failAt: 0, log: log)) { $1 })
        #expect(r.status == 0, "\(r.stderr)")
        let calls = FaultShim.calls(in: log)
        // Every folder whose entries changed (a symlink made, a file renamed in or removed) is
        // fsynced after its last such change, so exit 0 means the change survives a crash.
        var pending: Set<String> = []
        for call in calls {
            let folder = (call.path as NSString).deletingLastPathComponent
            switch call.operation {
            case "symlink", "rename", "unlink", "mkdir": pending.insert(folder)
            case "fsync", "syncfs": pending.remove(call.path)
            default: break
            }
        }
        #expect(pending.isEmpty, "not made durable: \(pending.sorted()) in \(calls)")
        #expect(calls.contains { $0.operation == "unlink" && $0.path == box.hermes + "/old.txt" }, "\(calls)")
    }
}

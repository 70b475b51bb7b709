import Foundation
import Testing

/// `overlay heartbeat` and `overlay deadman install | check | status | reset` through the built
/// binary: their JSON, text and exit codes, on a sandboxed apply with a crontab file.
@Suite struct DeadmanCommandTests {
    func deadmanBundle(_ box: ApplySandbox, config: String = "good\n", deadman: Bool = true) -> [String: Any] {
        var b = box.bundle([("config.yaml", config)])
        if deadman {
            b["deadman"] = [
                "stamp": box.hermes + "/heartbeat.stamp", "max_age": 180, "every": 60,
                "restart": "echo restarted >> '\(box.root.path)/restarts.log'", "max_retries": 1, "rollback": true,
                "alert": "echo \"$OVERLAY_DEADMAN_ACTION $OVERLAY_DEADMAN_HOST\" >> '\(box.root.path)/alerts.log'",
            ]
        }
        return b
    }

    func overlay(_ box: ApplySandbox, _ args: [String]) throws -> OverlayResult {
        try runOverlay(args, env: box.env, cwd: box.root)
    }

    func lines(_ path: String) -> [String] {
        ((try? String(contentsOfFile: path, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
    }

    @Test func heartbeatCheckStatusAndResetThroughTheBinary() throws {
        let box = try ApplySandbox()
        defer { box.cleanup() }
        let applied = try box.apply(try box.write(deadmanBundle(box)))
        #expect(applied.status == 0, "\(applied.stderr)")
        let crontab = try String(contentsOfFile: box.root.path + "/crontab", encoding: .utf8)
        let binary = PackagePaths.binary.resolvingSymlinksInPath().path
        #expect(crontab.contains("'\(binary)' deadman check --quiet"), "\(crontab)")

        let waiting = try overlay(box, ["deadman", "status", "--format", "json"])
        #expect(waiting.status == 0 && waiting.json["state"] as? String == "waiting", "\(waiting.stdout)\(waiting.stderr)")
        for key in ["ok", "state", "action", "retries", "known_good", "deadman_active", "dry_run"] {
            #expect(waiting.json[key] != nil, "status JSON lacks \(key)")
        }
        #expect(waiting.json["installed"] as? Bool == true && waiting.json["action"] as? String == "none")

        #expect(try overlay(box, ["heartbeat"]).status == 0)
        let up = try overlay(box, ["deadman", "check", "--format", "json"])
        #expect(up.status == 0 && up.json["ok"] as? Bool == true && up.json["state"] as? String == "up")
        #expect(up.json["action"] as? String == "mark-known-good" && up.json["known_good"] as? Bool == true)

        let stamp = box.hermes + "/heartbeat.stamp"
        try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(-3600)], ofItemAtPath: stamp)
        let dry = try overlay(box, ["deadman", "check", "--dry-run", "--format", "json"])
        #expect(dry.status == 1 && dry.json["ok"] as? Bool == false && dry.json["dry_run"] as? Bool == true)
        #expect(dry.json["state"] as? String == "down" && dry.json["action"] as? String == "restart" && dry.json["retries"] as? Int == 0)
        #expect(lines(box.root.path + "/restarts.log").isEmpty, "a dry run starts no process")

        let down = try overlay(box, ["deadman", "check"])
        #expect(down.status == 1 && down.stdout.contains("down: no heartbeat for") && down.stdout.contains("restart: ok"), "\(down.stdout)")
        #expect(lines(box.root.path + "/restarts.log") == ["restarted"])
        let status = try overlay(box, ["status", "--format", "json"])
        let member = status.json["deadman"] as? [String: Any]
        #expect(member?["state"] as? String == "down" && member?["retries"] as? Int == 1 && member?["installed"] as? Bool == true)
        #expect(try overlay(box, ["status"]).stdout.contains("deadman: down — no heartbeat for"))

        // Generation 1 is known-good: no rollback, the deadman gives up and alerts once, then is quiet.
        let giveUp = try overlay(box, ["deadman", "check", "-q"])
        #expect(giveUp.status == 1 && giveUp.stdout.contains("give-up: alert ok"), "\(giveUp.stdout)")
        #expect(lines(box.root.path + "/alerts.log") == ["give-up timmy"])
        let quiet = try overlay(box, ["deadman", "check", "-q"])
        #expect(quiet.status == 1 && quiet.stdout.isEmpty, "nothing new: --quiet prints nothing")
        let shown = try overlay(box, ["deadman", "status"])
        #expect(shown.status == 1 && shown.stdout.contains("DEADMAN ACTIVE") && shown.stdout.contains("episode: #1"), "\(shown.stdout)")

        let reset = try overlay(box, ["deadman", "reset", "--format", "json"])
        #expect(reset.status == 0 && reset.json["was_active"] as? Bool == true && reset.json["ended_episode"] as? Int == 1)
        let after = try overlay(box, ["deadman", "status", "--format", "json"])
        #expect(
            after.json["deadman_active"] as? Bool == false
                && (after.json["episodes"] as? [[String: Any]])?.first?["end"] as? String == "reset")
    }

    @Test func aHeldLockExits75AndACorruptRecordIsReportedNotActedOn() throws {
        let box = try ApplySandbox()
        defer { box.cleanup() }
        #expect(try box.apply(try box.write(deadmanBundle(box))).status == 0)
        let fd = open(box.state + "/deadman.lock", O_RDWR | O_CREAT, 0o600)
        #expect(fd >= 0 && flock(fd, LOCK_EX) == 0)
        let held = try overlay(box, ["deadman", "check", "--lock-timeout", "0.2", "--format", "json"])
        flock(fd, LOCK_UN)
        close(fd)
        #expect(held.status == 75 && held.json["ok"] as? Bool == false, "\(held.stdout)\(held.stderr)")
        #expect((held.json["error"] as? String)?.contains("deadman.lock") == true)

        try "[]".write(toFile: box.state + "/deadman.json", atomically: true, encoding: .utf8)
        let corrupt = try overlay(box, ["deadman", "check"])
        #expect(
            corrupt.status == 1 && corrupt.stderr.contains("deadman.json is unreadable") && corrupt.stderr.contains("overlay deadman reset")
        )
        #expect(lines(box.root.path + "/restarts.log").isEmpty)
        let status = try overlay(box, ["status"])
        #expect(status.status == 0 && status.stdout.contains("deadman: unreadable:"), "status still works: \(status.stdout)")
    }

    @Test func installPutsTheCheckBackAndAnApplyWithoutDeadmanTakesItOut() throws {
        let box = try ApplySandbox()
        defer { box.cleanup() }
        #expect(try box.apply(try box.write(deadmanBundle(box))).status == 0)
        let crontab = box.root.path + "/crontab"
        let installed = try String(contentsOfFile: crontab, encoding: .utf8)
        try "".write(toFile: crontab, atomically: true, encoding: .utf8)
        let install = try overlay(box, ["deadman", "install", "--format", "json"])
        #expect(install.status == 0 && install.json["installed"] as? Bool == true, "\(install.stdout)\(install.stderr)")
        #expect(try String(contentsOfFile: crontab, encoding: .utf8) == installed)
        #expect((install.json["line"] as? String).map { installed.contains($0) } == true)

        #expect(try box.apply(try box.write(deadmanBundle(box, deadman: false), name: "plain.json")).status == 0)
        #expect(!(try String(contentsOfFile: crontab, encoding: .utf8)).contains("deadman"))
        let off = try overlay(box, ["deadman", "check", "--format", "json"])
        #expect(off.status == 0 && off.json["state"] as? String == "off" && off.json["action"] as? String == "none")
        let again = try overlay(box, ["deadman", "install"])
        #expect(again.status == 0 && again.stdout.contains("declares no deadman"))
        let noStamp = try overlay(box, ["heartbeat"])
        #expect(noStamp.status == 1 && noStamp.stderr.contains("no --stamp given"))
        let folder = try overlay(box, ["heartbeat", "--stamp", box.hermes])
        #expect(folder.status == 1 && folder.stderr.contains("is a folder"))
        let explicit = try overlay(box, ["heartbeat", "--stamp", box.root.path + "/beats/agent.stamp", "--format", "json"])
        #expect(explicit.status == 0 && explicit.json["stamp"] as? String == box.root.path + "/beats/agent.stamp")
    }

    @Test func aCheckKilledDuringItsRestartHasStillCountedIt() throws {
        let box = try ApplySandbox()
        defer { box.cleanup() }
        let root = box.root.path
        var bundle = deadmanBundle(box)
        var settings = bundle["deadman"] as? [String: Any] ?? [:]
        settings["max_retries"] = 3
        settings["restart"] =
            "if [ -e '\(root)/hang' ]; then echo $$ > '\(root)/restart.pid'; sleep 30; fi; echo restarted >> '\(root)/restarts.log'"
        bundle["deadman"] = settings
        #expect(try box.apply(try box.write(bundle)).status == 0)
        try "".write(toFile: root + "/hang", atomically: true, encoding: .utf8)
        // The agent's last heartbeat was an hour ago.
        try "".write(toFile: box.hermes + "/heartbeat.stamp", atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes(
            [.modificationDate: Date().addingTimeInterval(-3600)], ofItemAtPath: box.hermes + "/heartbeat.stamp")

        let check = Process()
        check.executableURL = PackagePaths.binary
        check.arguments = ["deadman", "check"]
        check.environment = ProcessInfo.processInfo.environment.merging(box.env) { _, new in new }
        check.currentDirectoryURL = box.root
        check.standardOutput = FileHandle.nullDevice
        check.standardError = FileHandle.nullDevice
        try check.run()
        let deadline = Date().addingTimeInterval(20)
        while !FileManager.default.fileExists(atPath: root + "/restart.pid") && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        kill(check.processIdentifier, SIGKILL)
        check.waitUntilExit()
        let restartPid =
            Int32(
                (try? String(contentsOfFile: root + "/restart.pid", encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
            ) ?? 0
        if restartPid > 1 { kill(-restartPid, SIGKILL) }  // the restart's own process group
        #expect(restartPid > 1, "the restart was running when the check was killed")

        try FileManager.default.removeItem(atPath: root + "/hang")
        let next = try overlay(box, ["deadman", "check", "--format", "json"])
        #expect(next.json["action"] as? String == "restart" && next.json["retries"] as? Int == 2, "\(next.stdout)")
        let status = try overlay(box, ["deadman", "status", "--format", "json"])
        let history = status.json["history"] as? [[String: Any]] ?? []
        #expect(history.count == 2 && history[0]["result"] is NSNull && history[1]["result"] as? String == "ok", "\(history)")
        #expect(try overlay(box, ["deadman", "status"]).stdout.contains("[did not finish]"))
    }
}

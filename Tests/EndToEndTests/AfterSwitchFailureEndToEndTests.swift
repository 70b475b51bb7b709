import Foundation
import Testing

/// A `link: false` copy that cannot be placed after `current` was switched: the run reports the
/// new generation as live (not "nothing changed"), still installs the crontab and runs the
/// handlers of what did change, and the next run places the copy.
///
/// The failure is made without a full file system: a folder sits where the copy's temp file
/// (`.NAME.overlay-tmp`) goes. unlink(2) refuses a folder even as root, and the plan never looks
/// at the temp path, so the plan succeeds and the copy fails after the switch.
@Suite struct AfterSwitchFailureEndToEndTests {
    func crontab(_ box: ApplySandbox) -> String {
        (try? String(contentsOfFile: box.root.path + "/crontab", encoding: .utf8)) ?? ""
    }

    /// A bundle with a linked `a.txt`, a copied `app.json`, one cron job and a handler per file.
    func bundle(_ box: ApplySandbox, a: String, app: String, schedule: String) -> [String: Any] {
        var b = box.bundle(
            [("a.txt", a), ("app.json", app)], copies: ["app.json"],
            handlers: [
                ["name": "on-a", "run": "echo on-a >> '\(box.root.path)/ran'", "on_change": [box.hermes + "/a.txt"]],
                ["name": "on-app", "run": "echo on-app >> '\(box.root.path)/ran'", "on_change": [box.hermes + "/app.json"]],
            ])
        b["cron_jobs"] = [["name": "beat", "schedule": schedule, "command": "/usr/bin/true"]]
        return b
    }

    func ran(_ box: ApplySandbox) -> [String] {
        ((try? String(contentsOfFile: box.root.path + "/ran", encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
    }

    /// Blocks the copy of `app.json`: a non-empty folder at its temp path.
    func block(_ box: ApplySandbox) throws -> String {
        let tmp = box.hermes + "/.app.json.overlay-tmp"
        try FileManager.default.createDirectory(atPath: tmp, withIntermediateDirectories: true)
        try "not overlay's\n".write(toFile: tmp + "/keep", atomically: true, encoding: .utf8)
        return tmp
    }

    @Test func applyReportsTheLiveGenerationAndTheNextApplyPlacesTheCopy() throws {
        let box = try ApplySandbox()
        defer { box.cleanup() }
        #expect(try box.apply(try box.write(bundle(box, a: "v1\n", app: "{}\n", schedule: "@daily"))).status == 0)
        try FileManager.default.removeItem(atPath: box.root.path + "/ran")
        let tmp = try block(box)
        let second = try box.write(bundle(box, a: "v2\n", app: "{\"grown\": true}\n", schedule: "@hourly"), name: "b2.json")

        let failed = try box.apply(second, ["--format", "json"])

        #expect(failed.status == 1, "\(failed.stdout)\(failed.stderr)")
        #expect(failed.json["ok"] as? Bool == false)
        #expect(failed.json["generation"] as? Int == 2 && failed.json["switched"] as? Bool == true, "\(failed.stdout)")
        let error = failed.json["error"] as? String ?? ""
        #expect(error.hasPrefix("generation 2 is live but \(box.hermes)/app.json could not be placed: "), "\(error)")
        #expect(error.hasSuffix("fix the cause and run 'overlay apply' again"), "\(error)")
        #expect(!error.contains("stays live") && !error.contains("nothing was changed"), "\(error)")
        #expect(box.read("a.txt") == "v2\n", "the linked file switched")
        #expect(box.read("app.json") == "{}\n", "the copy still holds the old bytes")
        #expect(crontab(box).contains("@hourly"), "the crontab of generation 2 was installed")
        #expect(ran(box) == ["on-a"], "the handler of the file that changed ran; the one of the unplaced file did not")
        #expect(try FileManager.default.contentsOfDirectory(atPath: tmp) == ["keep"], "the folder in the way is not touched")

        let drift = try runOverlay(["status", "--format", "json"], env: box.env)
        #expect(drift.status == 1)
        #expect((drift.json["drift"] as? [[String: String]])?.map { $0["path"] ?? "" } == [box.hermes + "/app.json"], "\(drift.stdout)")

        try FileManager.default.removeItem(atPath: tmp)
        let again = try box.apply(second, ["--format", "json"])

        #expect(again.status == 0, "\(again.stdout)\(again.stderr)")
        #expect(again.json["generation"] as? Int == 2 && again.json["switched"] as? Bool == false)
        let changes = (again.json["changes"] as? [[String: Any]])?.filter { $0["action"] as? String != "unchanged" }
        #expect(changes?.map { "\($0["action"] ?? "") \($0["path"] ?? "")" } == ["updated \(box.hermes)/app.json"])
        #expect(box.read("app.json") == "{\"grown\": true}\n")
        #expect(ran(box) == ["on-a", "on-app"], "placing the copy runs its handler")
        #expect(try runOverlay(["status"], env: box.env).status == 0, "no drift left")
        #expect(!FileManager.default.fileExists(atPath: tmp))
    }

    @Test func textOutputSaysTheGenerationIsLiveOnStderr() throws {
        let box = try ApplySandbox()
        defer { box.cleanup() }
        #expect(try box.apply(try box.write(bundle(box, a: "v1\n", app: "{}\n", schedule: "@daily"))).status == 0)
        _ = try block(box)

        let failed = try box.apply(try box.write(bundle(box, a: "v2\n", app: "[]\n", schedule: "@daily"), name: "b2.json"))

        #expect(failed.status == 1)
        #expect(failed.stdout.contains("generation 2 is live"), "\(failed.stdout)")
        #expect(
            failed.stderr.contains("generation 2 is live but \(box.hermes)/app.json could not be placed: unlink "),
            "\(failed.stderr)")
        #expect(!failed.stderr.contains("previous generation stays live"), "\(failed.stderr)")
    }

    @Test func rollbackReportsTheGenerationItMadeLiveAndARerunPlacesTheCopy() throws {
        let box = try ApplySandbox()
        defer { box.cleanup() }
        #expect(try box.apply(try box.write(bundle(box, a: "v1\n", app: "{\"v\": 1}\n", schedule: "@daily"))).status == 0)
        let second = bundle(box, a: "v2\n", app: "{\"v\": 2}\n", schedule: "@hourly")
        #expect(try box.apply(try box.write(second, name: "b2.json")).status == 0)
        let tmp = try block(box)

        let back = try runOverlay(["rollback", "--format", "json"], env: box.env)

        #expect(back.status == 1, "\(back.stdout)\(back.stderr)")
        #expect(back.json["ok"] as? Bool == false)
        #expect(back.json["generation"] as? Int == 1 && back.json["switched"] as? Bool == true, "\(back.stdout)")
        let error = back.json["error"] as? String ?? ""
        #expect(error.hasPrefix("generation 1 is live but \(box.hermes)/app.json could not be placed: "), "\(error)")
        #expect(error.hasSuffix("run 'overlay rollback --to 1' again"), "\(error)")
        #expect(box.read("a.txt") == "v1\n")
        #expect(box.read("app.json") == "{\"v\": 2}\n")
        #expect(crontab(box).contains("@daily") && !crontab(box).contains("@hourly"), "generation 1's jobs are back")

        try FileManager.default.removeItem(atPath: tmp)
        let again = try runOverlay(["rollback", "--to", "1", "--format", "json"], env: box.env)

        #expect(again.status == 0, "\(again.stdout)\(again.stderr)")
        #expect(box.read("app.json") == "{\"v\": 1}\n")
        #expect(try runOverlay(["status"], env: box.env).status == 0, "no drift left")
    }

    @Test func aRollbackRefusedBeforeItsSwitchReportsTheLiveGenerationInJSON() throws {
        let box = try ApplySandbox()
        defer { box.cleanup() }
        #expect(try box.apply(try box.write(box.bundle([("a.txt", "v1\n")]))).status == 0)
        #expect(try box.apply(try box.write(box.bundle([("a.txt", "v2\n")]), name: "b2.json")).status == 0)

        let refused = try runOverlay(["rollback", "--to", "9", "--format", "json"], env: box.env)

        #expect(refused.status == 1, "\(refused.stdout)\(refused.stderr)")
        #expect(refused.json["ok"] as? Bool == false && refused.json["switched"] as? Bool == false)
        #expect(refused.json["generation"] as? Int == 2, "\(refused.stdout)")
    }
}

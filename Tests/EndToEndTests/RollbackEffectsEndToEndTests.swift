import Foundation
import Testing

/// `overlay rollback` puts back more than files: the cron jobs recorded with the generation it
/// makes live, and the handlers of that generation whose watched paths changed.
@Suite struct RollbackEffectsEndToEndTests {
    var crontabPath: (ApplySandbox) -> String = { $0.root.path + "/crontab" }

    func job(_ name: String, _ schedule: String, _ command: String) -> [String: Any] {
        ["name": name, "schedule": schedule, "command": command, "env": ["STAGE": name]]
    }

    /// A bundle with `files` and cron jobs.
    func bundle(
        _ box: ApplySandbox, _ files: [(String, String)], jobs: [[String: Any]], handlers: [[String: Any]] = []
    )
        -> [String: Any]
    {
        var b = box.bundle(files, handlers: handlers)
        b["cron_jobs"] = jobs
        return b
    }

    func crontab(_ box: ApplySandbox) throws -> String {
        try String(contentsOfFile: crontabPath(box), encoding: .utf8)
    }

    @Test func rollbackReinstallsTheCronJobsOfTheGenerationItMakesLive() throws {
        let box = try ApplySandbox()
        defer { box.cleanup() }
        let mine = "0 4 * * * root /usr/bin/true mine\n"
        try mine.write(toFile: crontabPath(box), atomically: true, encoding: .utf8)
        let first = bundle(
            box, [("a.txt", "v1\n")], jobs: [job("backup", "@daily", "/usr/bin/true b"), job("beat", "*/5 * * * *", "/usr/bin/true")])
        #expect(try box.apply(try box.write(first)).status == 0)
        let afterFirst = try crontab(box)
        let second = bundle(
            box, [("a.txt", "v2\n")], jobs: [job("beat", "*/1 * * * *", "/usr/bin/true"), job("new", "@hourly", "/usr/bin/true n")])
        #expect(try box.apply(try box.write(second, name: "b2.json")).status == 0)
        #expect(try crontab(box) != afterFirst)

        let back = try runOverlay(["rollback", "--format", "json"], env: box.env)

        #expect(back.status == 0, "\(back.stdout)\(back.stderr)")
        #expect(box.read("a.txt") == "v1\n")
        #expect(try crontab(box) == afterFirst, "the block holds generation 1's jobs again, the user's line untouched")
        let cron = back.json["cron"] as? [String: Any]
        #expect(cron?["added"] as? [String] == ["backup"] && cron?["updated"] as? [String] == ["beat"])
        #expect(cron?["removed"] as? [String] == ["new"] && cron?["written"] as? Bool == true)
    }

    @Test func aCronOnlyChangeBuildsAGenerationThatRollbackCanUndo() throws {
        let box = try ApplySandbox()
        defer { box.cleanup() }
        #expect(
            try box.apply(try box.write(bundle(box, [("a.txt", "same\n")], jobs: [job("beat", "@hourly", "/usr/bin/true")]))).status == 0)
        let afterFirst = try crontab(box)
        let changed = bundle(box, [("a.txt", "same\n")], jobs: [job("beat", "@daily", "/usr/bin/true")])

        let second = try box.apply(try box.write(changed, name: "b2.json"), ["--format", "json"])

        #expect(second.json["generation"] as? Int == 2 && second.json["switched"] as? Bool == true, "\(second.stdout)")
        #expect(try crontab(box).contains("@daily"))
        #expect(try runOverlay(["rollback"], env: box.env).status == 0)
        #expect(try crontab(box) == afterFirst)
        let third = try box.apply(try box.write(changed, name: "b2.json"), ["--format", "json"])
        #expect(third.json["switched"] as? Bool == true && third.json["generation"] as? Int == 3)
        #expect(try crontab(box).contains("@daily"))
    }

    @Test func aGenerationWithoutARecordLeavesCrontabAndHandlersAloneAndSaysSo() throws {
        let box = try ApplySandbox()
        defer { box.cleanup() }
        let marker = box.root.path + "/ran"
        let handler: [[String: Any]] = [["name": "restart", "run": "touch '\(marker)'", "on_change": [box.hermes + "/a.txt"]]]
        let first = bundle(box, [("a.txt", "v1\n")], jobs: [job("old", "@daily", "/usr/bin/true")], handlers: handler)
        #expect(try box.apply(try box.write(first)).status == 0)
        let second = bundle(box, [("a.txt", "v2\n")], jobs: [job("new", "@daily", "/usr/bin/true")], handlers: handler)
        #expect(try box.apply(try box.write(second, name: "b2.json")).status == 0)
        try FileManager.default.removeItem(atPath: marker)
        // What an older overlay wrote: a record without cron jobs and handlers.
        for name in ["generation.json", "header.json"] {
            let path = box.state + "/generations/1/" + name
            var record = try #require(
                try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any])
            #expect(record.removeValue(forKey: "cron") != nil, "\(name) records the cron jobs")
            record.removeValue(forKey: "handlers")
            try JSONSerialization.data(withJSONObject: record).write(to: URL(fileURLWithPath: path))
        }
        let before = try crontab(box)

        let back = try runOverlay(["rollback"], env: box.env)

        #expect(back.status == 0, "\(back.stderr)")
        #expect(box.read("a.txt") == "v1\n")
        #expect(try crontab(box) == before)
        #expect(back.stderr.contains("does not record its cron jobs") && back.stderr.contains("crontab was left alone"), "\(back.stderr)")
        #expect(back.stderr.contains("does not record its handlers"), "\(back.stderr)")
        #expect(back.stderr.contains("run them yourself: restart"), "\(back.stderr)")
        #expect(!FileManager.default.fileExists(atPath: marker), "no handler ran")
    }

    @Test func rollbackRunsTheTargetGenerationsHandlersForThePathsItChanges() throws {
        let box = try ApplySandbox()
        defer { box.cleanup() }
        let log = box.root.path + "/handler-runs"
        func handlers(_ tag: String) -> [[String: Any]] {
            [
                ["name": "restart", "run": "echo restart-\(tag) >> '\(log)'", "on_change": [box.hermes + "/config.yaml"]],
                ["name": "skills", "run": "echo skills-\(tag) >> '\(log)'", "on_change": [box.hermes + "/skills"]],
            ]
        }
        let files1 = [("config.yaml", "v1\n"), ("skills/a.md", "A\n")]
        #expect(try box.apply(try box.write(bundle(box, files1, jobs: [], handlers: handlers("gen1")))).status == 0)
        let files2 = [("config.yaml", "v2\n"), ("skills/a.md", "A\n")]
        #expect(try box.apply(try box.write(bundle(box, files2, jobs: [], handlers: handlers("gen2")), name: "b2.json")).status == 0)
        let runs = { (try? String(contentsOfFile: log, encoding: .utf8))?.split(separator: "\n").map(String.init) ?? [] }
        #expect(runs() == ["restart-gen1", "skills-gen1", "restart-gen2"])

        let back = try runOverlay(["rollback", "--format", "json"], env: box.env)

        #expect(back.status == 0, "\(back.stderr)")
        #expect(
            runs() == ["restart-gen1", "skills-gen1", "restart-gen2", "restart-gen1"],
            "only the handler watching config.yaml, as generation 1 defines it")
        #expect((back.json["handlers"] as? [[String: Any]])?.compactMap { $0["name"] as? String } == ["restart"])
    }

    @Test func aFailingHandlerAfterRollbackExitsOneAndTheRollbackStands() throws {
        let box = try ApplySandbox()
        defer { box.cleanup() }
        let failing: [[String: Any]] = [["name": "restart", "run": "exit 4", "on_change": [box.hermes + "/config.yaml"]]]
        _ = try box.apply(try box.write(bundle(box, [("config.yaml", "v1\n")], jobs: [], handlers: failing)))
        _ = try box.apply(try box.write(bundle(box, [("config.yaml", "v2\n")], jobs: []), name: "b2.json"))

        let back = try runOverlay(["rollback"], env: box.env)

        #expect(back.status == 1)
        #expect(back.stderr.contains("restart") && back.stderr.contains("the rollback stands"), "\(back.stderr)")
        #expect(box.read("config.yaml") == "v1\n")
    }
}

import Foundation
import TestSupport
import Testing

/// `overlay apply` with the default `user` crontab target, through the real `crontab -l` / `crontab -`.
@Suite(.serialized) struct UserCrontabApplyTests {
    let host = "e2e-crontab-\(getpid())"

    func job(_ name: String, _ schedule: String, _ command: String) -> [String: Any] {
        ["name": name, "schedule": schedule, "command": command]
    }

    @Test func userLinesAboveAndBelowTheBlockSurviveTwoAppliesAndAJobRemoval() throws {
        let session = try RealCrontabSession()
        defer { session.restore() }
        let box = try ApplySandbox()
        defer { box.cleanup() }
        var env = box.env
        env["OVERLAY_CRONTAB"] = "user"
        func apply(_ jobs: [[String: Any]], name: String) throws -> OverlayResult {
            var b = box.bundle([("a.txt", "a\n")])
            b["host"] = host
            b["cron_jobs"] = jobs
            return try runOverlay(["apply", "--bundle", try box.write(b, name: name), "--format", "json"], env: env)
        }
        let above = "# written by a human\nMAILTO=\"\"\n0 4 * * * /usr/bin/true above   # spaced\n\n"
        let below = "# below the block\n5 4 * * * /usr/bin/true below\n"
        try session.set(above)
        let both = [job("backup", "@daily", "/usr/bin/true backup"), job("beat", "*/5 * * * *", "/usr/bin/true beat")]

        let first = try apply(both, name: "one.json")
        try session.set(try session.listed() + below)
        let withBelow = try session.listed()
        let second = try apply(both, name: "one.json")
        let afterSecond = try session.listed()
        let removal = try apply([both[1]], name: "two.json")
        let final = try session.listed()

        #expect(first.status == 0, "\(first.stdout)\(first.stderr)")
        let firstCron = first.json["cron"] as? [String: Any]
        #expect(firstCron?["target"] as? String == "user" && firstCron?["added"] as? [String] == ["backup", "beat"])
        #expect(second.status == 0 && (second.json["cron"] as? [String: Any])?["written"] as? Bool == false)
        #expect(afterSecond == withBelow, "a second apply leaves the crontab byte for byte as it was")
        #expect(removal.status == 0 && (removal.json["cron"] as? [String: Any])?["removed"] as? [String] == ["backup"])
        #expect(final.hasPrefix(above + "# >>> overlay managed: host=\(host) "), "\(final)")
        #expect(final.hasSuffix("# <<< overlay managed: host=\(host) <<<\n" + below), "\(final)")
        #expect(final.contains("*/5 * * * * /usr/bin/true beat\n") && !final.contains("/usr/bin/true backup"), "\(final)")
    }
}

import Foundation
import OverlayCore
import TestSupport
import Testing

/// The agent-job schedule grammar against the real harness: every string of the table goes
/// through overlay's validator and through hermes-agent's own `parse_schedule` (and croniter's
/// next times) in the test's venv. Both must accept the same strings with the same meaning —
/// except the relative one-shots (`30m`), which overlay refuses on purpose.
@Suite(.serialized) struct HarnessScheduleTableTests {
    static let table: [String] = [
        // intervals
        "every 30m", "every 2h", "every 1d", "every 45 minutes", "every 1 hour", "EVERY 15m", "every 90min", "every 3 days",
        "every 0m", "every 5 hrs", "every  10m", "every 5 m", "every ５m", "every m", "every -5m", "every 5s", "every 1.5h",
        "every5m", "every day",
        // cron: croniter's numeric subset
        "0 9 * * *", "*/15 * * * *", "0 9 * * 1-5", "0 9 * * 0,6", "30 2 1 * *", "0 0 1 1 *", "0 */4 * * *", "5,35 * * * *",
        "0 9 * * 7", "0 9 1-7 * 1", "0 0 29 2 *", "50-10 * * * *", "5-5 * * * *", "10/15 * * * *", "0 9 * * 5-7", "0 9 * * 0-7",
        "50-10/15 * * * *", "0 22-2 * * *", "0 0 * * * 30", "*/20 * * * * */15", "0 12 * * * 0 2031", "0 9 0 * * 0",
        "0 9 * * * 0 2020-2040/5", " 0 9 * * 1-5 ", "0\t9 * * *", "０ ９ * * *",
        // cron the harness refuses
        "0 9 0 * *", "0 9 * * 7 0", "60 * * * *", "* 24 * * *", "0 0 30 2 *", "0 9 31 2,4 *", "0 9 * * mon", "0 9 * * MON",
        "0 9 * * TUE", "@daily", "0 9 * *", "0 9 * * * * * *", "1-5/0 * * * *", "*/0 * * * *", "0 9 * * 1,,2", "0 9 * jan *",
        "0 0 L * *", "0 0 1 * 2#1", "0 0 ? * *", "*-5 * * * *", "0 9 * * -1",
        // one-shots
        "2030-03-01T09:00", "2030-03-01T09:00:00", "2030-03-01 09:00", "2030-03-01", "2030-03-01T09:00Z", "2030-03-01T09:00:00+05:30",
        "2030-03-01T09:00:00.250", "20300301T0900", "2030-03-01T09", "2030-03-01x09:00", "2030-03-01T09:00-0700",
        "2026-03-08T02:30", "2026-11-01T01:30", "2030-02-30T09:00", "2030-03-01T25:00", "2030-13-01", "2030-03-01T09:00+25:00", "Tomorrow", "2030-03-01T9:00",
        // relative one-shots: the harness accepts, overlay refuses on purpose
        "30m", "2h", "1d", "90 minutes",
        // neither
        "", "   ", "tomorrow at 9", "daily", "every", "0",
    ]

    @Test(arguments: ["Asia/Kolkata", "UTC", "America/New_York"])
    func validatorAndHarnessAgree(zoneName: String) throws {
        #expect(Self.table.count >= 60)
        let (harness, skip) = try HermesHarness.shared()
        guard let harness else { try Test.cancel(Comment(rawValue: skip ?? "no harness")) }
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("hermes-table-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: scratch + "/home", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let base = "2026-01-05T10:17:23+00:00"
        let oracle = PackagePaths.fixtures.appendingPathComponent("agentjobs/schedule_oracle.py").path
        let input = Self.table.map { JSONWriter.string(.string($0)) }.joined(separator: "\n") + "\n"
        let run = try harness.python(
            "import runpy, sys; sys.argv = sys.argv[1:]; runpy.run_path(sys.argv[0], run_name='__main__')", arguments: [oracle, base],
            home: scratch + "/home", scratchHome: scratch, extra: ["HERMES_TIMEZONE": zoneName], input: input)
        try #require(run.status == 0, "the oracle failed: \(run.stderr)")
        let answers = run.stdout.split(separator: "\n").map { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        try #require(answers.count == Self.table.count)
        let zone = try #require(TimeZone(identifier: zoneName))
        let from = try #require(ISO8601DateFormatter().date(from: "2026-01-05T10:17:23Z"))
        var disagreements: [String] = []
        for (text, answer) in zip(Self.table, answers) {
            let harnessOK = answer?["ok"] as? Bool ?? false
            let ours = AgentSchedule.parse(text)
            switch ours {
            case .failure(let error):
                if harnessOK && !(answer?["relative"] as? Bool ?? false) {
                    disagreements.append("\(text.debugDescription): the harness accepts it, overlay says \(error)")
                }
                if answer?["relative"] as? Bool ?? false {
                    #expect(error.rule == "agentjobs.relative-once", "\(text)")
                }
            case .success(let schedule):
                guard harnessOK, let answer else {
                    disagreements.append("\(text.debugDescription): overlay accepts it, the harness says \(answer?["error"] ?? "?")")
                    continue
                }
                let object = schedule.harnessObject(in: zone)
                if object["display"]?.stringValue != answer["display"] as? String {
                    disagreements.append(
                        "\(text.debugDescription): display \(object["display"]?.stringValue ?? "-") vs \(answer["display"] ?? "-")")
                }
                switch schedule.kind {
                case .interval(let minutes):
                    if minutes != answer["minutes"] as? Int {
                        disagreements.append("\(text.debugDescription): \(minutes) minutes vs \(answer)")
                    }
                case .once:
                    if object["run_at"]?.stringValue != answer["run_at"] as? String {
                        disagreements.append(
                            "\(text.debugDescription): run_at \(object["run_at"]?.stringValue ?? "-") vs \(answer["run_at"] ?? "-")")
                    }
                case .cron(let cron):
                    var times: [String] = []
                    var cursor = from
                    for _ in 0..<5 {
                        guard let next = cron.next(after: cursor, in: zone) else { break }
                        times.append(Self.isoformat(next, zone))
                        cursor = next
                    }
                    let theirs = answer["next"] as? [String] ?? []
                    if times != theirs { disagreements.append("\(text.debugDescription): next \(times) vs croniter \(theirs)") }
                }
            }
        }
        #expect(disagreements.isEmpty, "\(disagreements.count) disagreement(s):\n\(disagreements.joined(separator: "\n"))")
    }

    /// Python's `isoformat()` of an aware datetime in `zone`.
    static func isoformat(_ date: Date, _ zone: TimeZone) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = zone
        f.dateFormat = "yyyy-MM-dd'T'HH:mm:ssxxx"
        return f.string(from: date)
    }
}

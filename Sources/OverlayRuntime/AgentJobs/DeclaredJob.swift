import Crypto
import Foundation
import OverlayCore

/// A declared agent job as the fields of its `jobs.json` entry that overlay owns, normalised
/// the way the harness's `create_job` normalises them.
struct DeclaredJob {
    let declared: RenderedAgentJob
    let schedule: AgentSchedule
    /// The owned fields, in the order `create_job` writes them.
    let fields: [(String, JobsJSON)]
    /// A short hash of the declaration (fields and `enabled`): the mark records it, so a later
    /// apply knows whether the repo changed the job since (the hand-pause rule).
    let hash: String

    /// The fields overlay owns and compares (drift, hand edits); `skill` follows `skills`.
    static let owned = [
        "name", "prompt", "skills", "skill", "model", "provider", "base_url", "script", "no_agent", "schedule", "schedule_display",
        "deliver", "enabled_toolsets", "workdir",
    ]

    init(_ job: RenderedAgentJob, zone: TimeZone) throws(AgentJobsError) {
        guard case .success(let schedule) = AgentSchedule.parse(job.schedule) else {
            throw .invalidDeclaration(name: job.name, reason: "its schedule '\(job.schedule)' is not one the harness reads")
        }
        declared = job
        self.schedule = schedule
        let scheduleObject = JobsJSON(schedule.harnessObject(in: zone))
        fields = [
            ("name", .string(job.name)), ("prompt", .string(job.prompt)), ("skills", .array(job.skills.map(JobsJSON.string))),
            ("skill", .string(job.skills.first)), ("model", .string(job.model)), ("provider", .string(job.provider)),
            ("base_url", .string(job.baseURL)), ("script", .string(job.script)), ("no_agent", .bool(job.noAgent)),
            ("schedule", scheduleObject), ("schedule_display", scheduleObject["display"] ?? .null), ("deliver", .string(job.deliver)),
            ("enabled_toolsets", .strings(job.toolsets)), ("workdir", .string(job.workdir)),
        ]
        let canonical = JobsJSONWriter.write(.object(fields + [("enabled", .bool(job.enabled))]))
        hash = SHA256.hash(data: Data(canonical.utf8)).prefix(8).map { String(format: "%02x", $0) }.joined()
    }

    var isOnce: Bool {
        if case .once = schedule.kind { return true }
        return false
    }

    /// The owned fields whose value in `job` differs from the declaration.
    func differences(in job: JobsJSON) -> [String] {
        fields.filter { key, value in key != "skill" && !Self.same(job[key], value) }.map(\.0)
    }

    /// Equal as the harness reads them (an absent member is null).
    static func same(_ a: JobsJSON?, _ b: JobsJSON) -> Bool { (a ?? .null) == b }
}

/// Times written the way Python's `datetime.isoformat()` writes them.
enum PythonTime {
    static func isoformat(_ date: Date, in zone: TimeZone, microseconds: Bool = true) -> String {
        let t = date.timeIntervalSince1970
        let whole = Int64(t.rounded(.down))
        let micro = microseconds ? Int(((t - Double(whole)) * 1_000_000).rounded(.down)) : 0
        let offset = Int64(zone.secondsFromGMT(for: date))
        let wall = whole + offset
        let days = Int(CronFloor.div(wall, 86400))
        let (y, m, d) = civil(days)
        let sec = Int(wall - Int64(days) * 86400)
        func p(_ n: Int, _ w: Int = 2) -> String { String(repeating: "0", count: max(0, w - String(n).count)) + String(n) }
        var s = "\(p(y, 4))-\(p(m))-\(p(d))T\(p(sec / 3600)):\(p(sec % 3600 / 60)):\(p(sec % 60))"
        if micro != 0 { s += "." + p(micro, 6) }
        let a = abs(Int(offset))
        s += (offset < 0 ? "-" : "+") + p(a / 3600) + ":" + p(a % 3600 / 60)
        if a % 60 != 0 { s += ":" + p(a % 60) }
        return s
    }

    /// civil_from_days (Howard Hinnant).
    static func civil(_ days: Int) -> (Int, Int, Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    /// Parses a Python `isoformat()` time (with an offset) back into an instant.
    static func parse(_ text: String) -> Date? {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let d = f.date(from: text) { return d }
        f.formatOptions = [.withInternetDateTime]
        return f.date(from: text)
    }
}

enum CronFloor {
    static func div(_ a: Int64, _ b: Int64) -> Int64 {
        let q = a / b
        return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
    }
}

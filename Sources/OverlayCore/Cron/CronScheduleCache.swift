import Foundation

/// Schedules parsed once per distinct text: a repo of thousands of jobs writes a handful
/// of schedules, and parsing (with the day-quirk warnings) is a pure function of the text.
/// Shared by the files checked in parallel; it keeps at most `capacity` texts, so a repo
/// of all-different schedules costs what it did without it.
final class CronScheduleCache: @unchecked Sendable {
    /// A parsed schedule with its warnings.
    struct Parsed: Sendable {
        var schedule: CronSchedule
        var warnings: [CronWarning]
    }

    /// The cache every cron file's check shares.
    static let shared = CronScheduleCache()

    let capacity: Int
    private let lock = NSLock()
    private var results: [String: Result<Parsed, CronError>] = [:]

    init(capacity: Int = 4096) { self.capacity = capacity }

    /// The schedule `text` parses to (with its warnings), or the error that stops it.
    func parse(_ text: String) -> Result<Parsed, CronError> {
        if let hit = lock.withLock({ results[text] }) { return hit }
        let result: Result<Parsed, CronError>
        do {
            let schedule = try CronSchedule.parse(text)
            result = .success(Parsed(schedule: schedule, warnings: schedule.warnings))
        } catch {
            result = .failure(error)
        }
        lock.withLock {
            if results.count < capacity { results[text] = result }
        }
        return result
    }
}

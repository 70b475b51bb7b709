/// Schedules parsed once per distinct text within one cron file's check: a file of
/// thousands of jobs writes a handful of schedules, and parsing (with the day-quirk
/// warnings) is a pure function of the text.
final class CronScheduleCache {
    /// A parsed schedule with its warnings.
    struct Parsed {
        var schedule: CronSchedule
        var warnings: [CronWarning]
    }

    private var results: [String: Result<Parsed, CronError>] = [:]

    /// The schedule `text` parses to (with its warnings), or the error that stops it.
    func parse(_ text: String) -> Result<Parsed, CronError> {
        if let hit = results[text] { return hit }
        let result: Result<Parsed, CronError>
        do {
            let schedule = try CronSchedule.parse(text)
            result = .success(Parsed(schedule: schedule, warnings: schedule.warnings))
        } catch {
            result = .failure(error)
        }
        results[text] = result
        return result
    }
}

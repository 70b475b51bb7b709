import Foundation

/// A schedule of one of the harness's own jobs, read by the harness's rules (`parse_schedule`
/// in `cron/jobs.py` of hermes-agent 0.19.0), not by Vixie cron's.
///
/// The forms, tried in the harness's order: `every N{m,h,d}` (an interval), five to seven
/// numeric cron fields that croniter accepts, an ISO 8601 date-time (a one-shot; without an
/// offset it is in the harness's configured `timezone:`). A bare duration (`30m`) is a one-shot
/// relative to the moment the job is created: the harness accepts it, a declaration refuses it.
public struct AgentSchedule: Sendable, Equatable {
    /// What the schedule is.
    public enum Kind: Sendable, Equatable {
        /// Every `minutes` minutes, the first run one interval after the job is created.
        case interval(minutes: Int)
        /// A croniter expression.
        case cron(HarnessCron)
        /// Once, at a wall-clock time (`offsetSeconds` nil: in the harness's time zone).
        case once(HarnessDateTime)
    }

    /// The text as written.
    public let text: String
    public let kind: Kind
    /// Legal but probably not meant (`every 0m`), each with a rule id.
    public let warnings: [AgentScheduleError]

    /// Parses `text` the way the harness does; the error names the rule and the offending part.
    public static func parse(_ text: String) -> Result<AgentSchedule, AgentScheduleError> {
        AgentScheduleParser(text: text).parse()
    }

    /// The `schedule` object the harness stores for this schedule, its `display` included, with
    /// a naive one-shot placed in `zone`.
    public func harnessObject(in zone: TimeZone) -> Value {
        switch kind {
        case .interval(let minutes):
            return .object([("kind", .string("interval")), ("minutes", .int(minutes)), ("display", .string("every \(minutes)m"))])
        case .cron(let cron):
            return .object([("kind", .string("cron")), ("expr", .string(cron.text)), ("display", .string(cron.text))])
        case .once(let time):
            return .object([
                ("kind", .string("once")), ("run_at", .string(time.isoformat(in: zone))),
                ("display", .string("once at \(time.displayMinute(in: zone))")),
            ])
        }
    }

    /// The next run strictly after `date` as the harness computes it (`compute_next_run`):
    /// an interval counts from `date`, a cron expression follows croniter in `zone`, a one-shot
    /// runs at its time if that is after `date`.
    public func next(after date: Date, in zone: TimeZone) -> Date? {
        switch kind {
        case .interval(let minutes): return date.addingTimeInterval(TimeInterval(minutes) * 60)
        case .cron(let cron): return cron.next(after: date, in: zone)
        case .once(let time):
            let at = time.instant(in: zone)
            return at > date ? at : nil
        }
    }

    /// The schedule in plain words.
    public func explanation(in zone: TimeZone) -> String {
        switch kind {
        case .interval(let minutes):
            return minutes == 0
                ? "on every tick of the harness's scheduler (once a minute)"
                : "every \(AgentSchedule.words(minutes: minutes)), counted from when the job is created or last ran"
        case .cron(let cron): return cron.explanation + " (\(zone.identifier), croniter's rules)"
        case .once(let time): return "once, at \(time.isoformat(in: zone))"
        }
    }

    static func words(minutes: Int) -> String {
        if minutes % 1440 == 0 { return minutes == 1440 ? "day" : "\(minutes / 1440) days" }
        if minutes % 60 == 0 { return minutes == 60 ? "hour" : "\(minutes / 60) hours" }
        return minutes == 1 ? "minute" : "\(minutes) minutes"
    }
}

/// Why a schedule is refused (or a warning about one): rule id, message, and the 0-based
/// offset of the offending part inside the text.
public struct AgentScheduleError: Error, Sendable, Equatable, CustomStringConvertible {
    public var rule: String
    public var message: String
    public var offset: Int

    public init(rule: String, message: String, offset: Int) {
        self.rule = rule
        self.message = message
        self.offset = offset
    }

    public var description: String { "\(message) [\(rule)]" }
}

extension AgentSchedule {
    /// True when `text` can only be one of the harness's forms (`every …`, an ISO time, a bare
    /// duration): `overlay cron next|explain` then reads it with the harness's rules.
    public static func isHarnessOnly(_ text: String) -> Bool {
        let s = HarnessText.strip(text)
        return s.lowercased().hasPrefix("every ") || AgentScheduleParser.startsWithDate(s) || AgentScheduleParser.durationMinutes(s) != nil
    }

    /// The zone the harness would use with the repo at `root`: its `config.yaml` `timezone:`,
    /// nil when unset or not a zone name (the harness then uses the machine's local time).
    public static func configuredZone(repoRoot root: URL) -> TimeZone? {
        let url = root.appendingPathComponent("config.yaml")
        guard let data = FileManager.default.contents(atPath: url.path),
            case .string(let name)? = DocumentLoader().parse(data: data, path: "config.yaml", format: .yaml).root?.value["timezone"]
        else { return nil }
        return TimeZone(identifier: HarnessText.strip(name))
    }
}

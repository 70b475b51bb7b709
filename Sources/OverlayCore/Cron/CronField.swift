/// One of the five time fields of a cron expression, with its legal values and names.
public enum CronField: Int, Sendable, CaseIterable {
    case minute, hour, dayOfMonth, month, dayOfWeek

    /// The smallest legal value.
    public var low: Int {
        switch self {
        case .minute, .hour, .dayOfWeek: return 0
        case .dayOfMonth, .month: return 1
        }
    }

    /// The largest legal value (day-of-week allows 7, which Debian cron reads as Sunday).
    public var high: Int {
        switch self {
        case .minute: return 59
        case .hour: return 23
        case .dayOfMonth: return 31
        case .month: return 12
        case .dayOfWeek: return 7
        }
    }

    /// The field's name as messages say it.
    public var label: String {
        switch self {
        case .minute: return "minute"
        case .hour: return "hour"
        case .dayOfMonth: return "day-of-month"
        case .month: return "month"
        case .dayOfWeek: return "day-of-week"
        }
    }

    /// The legal values as messages say them.
    public var legalValues: String {
        switch self {
        case .minute: return "0–59"
        case .hour: return "0–23"
        case .dayOfMonth: return "1–31"
        case .month: return "1–12 or jan–dec"
        case .dayOfWeek: return "0–7 (0 and 7 are Sunday) or sun–sat"
        }
    }

    /// Three-letter names Debian cron accepts (compared case-insensitively), indexed from `low`.
    var names: [String] {
        switch self {
        case .month: return ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
        case .dayOfWeek: return ["sun", "mon", "tue", "wed", "thu", "fri", "sat"]
        default: return []
        }
    }

    /// The value of a name (`feb` → 2, `MON` → 1), or nil.
    func value(ofName text: Substring) -> Int? {
        let lower = text.lowercased()
        guard let index = names.firstIndex(of: lower) else { return nil }
        return index + low
    }

    /// Every legal value as a bit set.
    var fullMask: UInt64 {
        ((1 << UInt64(high + 1)) - 1) & ~((1 << UInt64(low)) - 1)
    }
}

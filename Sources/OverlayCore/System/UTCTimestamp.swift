import Foundation

/// A time as ISO 8601 in UTC to the second (`2026-12-06T02:39:54Z`): what
/// `ISO8601DateFormatter()` writes with its default options, without creating a formatter
/// (about 2 µs per call, measured as 4 % of a 1,000-host no-op converge).
public enum UTCTimestamp {
    public static func string(_ date: Date) -> String {
        var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
        var parts = tm()
        guard gmtime_r(&seconds, &parts) != nil else { return ISO8601DateFormatter().string(from: date) }
        func two(_ n: Int32) -> String { n < 10 ? "0\(n)" : "\(n)" }
        let year = Int(parts.tm_year) + 1900
        guard (0...9999).contains(year) else { return ISO8601DateFormatter().string(from: date) }
        let y = String(year)
        return String(repeating: "0", count: 4 - y.count) + y + "-" + two(parts.tm_mon + 1) + "-" + two(parts.tm_mday) + "T"
            + two(parts.tm_hour) + ":" + two(parts.tm_min) + ":" + two(parts.tm_sec) + "Z"
    }
}

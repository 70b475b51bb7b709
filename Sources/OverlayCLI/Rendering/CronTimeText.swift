import Foundation

/// Reads and writes the ISO 8601 times of `overlay cron next`.
enum CronTimeText {
    /// A zone by name: `UTC`/`Z`/`GMT`, `local`, or an IANA name that the system's tzdata knows.
    static func zone(named name: String) -> TimeZone? {
        switch name {
        case "UTC", "utc", "Z", "GMT", "Etc/UTC": return TimeZone(identifier: "UTC")
        case "local": return TimeZone.current
        default:
            // Foundation also accepts abbreviations ("EST"); only IANA names count: those
            // ICU knows, or those the system's tzdata has (ICU's list lags tzdata's).
            let known =
                TimeZone.knownTimeZoneIdentifiers.contains(name)
                || (name.contains("/") && !name.contains("..")
                    && FileManager.default.fileExists(atPath: "/usr/share/zoneinfo/" + name))
            guard known else { return nil }
            return TimeZone(identifier: name)
        }
    }

    /// `2026-01-05T00:00:00Z` in UTC, `2026-03-08T03:00:00-04:00` elsewhere.
    static func format(_ date: Date, in zone: TimeZone) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = zone
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }

    /// An ISO 8601 time with `Z` or an offset, or a local date/time read in `zone`.
    static func parse(_ text: String, in zone: TimeZone) -> Date? {
        let iso = ISO8601DateFormatter()
        iso.formatOptions = [.withInternetDateTime]
        if let d = iso.date(from: text) { return d }
        iso.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let d = iso.date(from: text) { return d }
        return parseLocal(text, in: zone)
    }

    /// True when `text` is a well-formed local date/time that does not exist in `zone`: the
    /// clocks skip it when daylight saving time starts (2026-03-29T02:30 in Europe/Berlin).
    static func isSkippedLocalTime(_ text: String, in zone: TimeZone) -> Bool {
        guard let utc = TimeZone(identifier: "UTC") else { return false }
        return parseLocal(text, in: zone) == nil && parseLocal(text, in: utc) != nil
    }

    /// A date/time without an offset, read as a wall-clock time in `zone`.
    private static func parseLocal(_ text: String, in zone: TimeZone) -> Date? {
        let local = DateFormatter()
        local.locale = Locale(identifier: "en_US_POSIX")
        local.timeZone = zone
        for pattern in ["yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd HH:mm", "yyyy-MM-dd"] {
            local.dateFormat = pattern
            if let d = local.date(from: text) { return d }
        }
        return nil
    }
}

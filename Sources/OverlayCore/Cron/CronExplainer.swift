import Foundation

/// Says a schedule in plain words, following Debian cron's day rule.
enum CronExplainer {
    static let monthNames = [
        "", "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
        "November", "December",
    ]
    static let weekdayNames = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]

    static func explain(_ s: CronSchedule) -> String {
        if s.isReboot { return "once when cron starts (at boot); never on a clock schedule" }
        var parts = [timePhrase(s)]
        let day = dayPhrase(s)
        if !day.isEmpty { parts.append(day) }
        if s.months != CronField.month.fullMask { parts.append("in " + list(of: s.months, field: .month)) }
        return parts.joined(separator: " ")
    }

    // MARK: time of day

    static func timePhrase(_ s: CronSchedule) -> String {
        let minutes = values(s.minutes)
        let hours = values(s.hours)
        let allMinutes = s.minutes == CronField.minute.fullMask
        let allHours = s.hours == CronField.hour.fullMask
        if allMinutes && allHours { return "every minute" }
        if minutes.count * hours.count <= 4 && !allHours {
            let times = hours.flatMap { h in minutes.map { m in pad(h) + ":" + pad(m) } }
            return "at " + joined(times)
        }
        let minutePart: String
        if allMinutes {
            minutePart = "every minute"
        } else if let step = step(of: minutes, low: 0, high: 59) {
            minutePart = step
        } else {
            minutePart = "at minute " + joined(ranges(minutes))
        }
        if allHours { return minutePart + (minutePart.hasPrefix("at") ? " past every hour" : "") }
        let hourPart: String
        if let step = step(of: hours, low: 0, high: 23) {
            hourPart = step.replacingOccurrences(of: "minutes", with: "hours").replacingOccurrences(of: "minute", with: "hour")
        } else {
            hourPart = "during hour" + (hours.count > 1 ? "s " : " ") + joined(ranges(hours).map { $0 })
        }
        return minutePart + (allMinutes ? " " : " past the hour, ") + hourPart
    }

    /// "every 15 minutes" / "every 5 minutes from minute 1 through 26" for a stepped set.
    static func step(of values: [Int], low: Int, high: Int) -> String? {
        guard values.count >= 3 else { return nil }
        let gap = values[1] - values[0]
        guard gap > 1, zip(values, values.dropFirst()).allSatisfy({ $1 - $0 == gap }) else { return nil }
        let unit = "minutes"
        if values[0] == low && values.last.map({ $0 + gap > high }) == true { return "every \(gap) \(unit)" }
        return "every \(gap) \(unit) from minute \(values[0]) through \(values.last ?? values[0])"
    }

    // MARK: days

    static func dayPhrase(_ s: CronSchedule) -> String {
        let domFull = s.days == CronDayQuirk.fullDays
        let dowFull = s.weekdays == CronDayQuirk.fullWeekdays
        if domFull && dowFull { return "" }
        if s.dayOfMonthStar || s.dayOfWeekStar {
            if domFull { return weekdayPhrase(s.weekdays) }
            if dowFull { return dayOfMonthPhrase(s.days) }
            return dayOfMonthPhrase(s.days) + " if it is also a " + weekdayNames(s.weekdays, joiner: "or")
        }
        if domFull || dowFull { return "every day" }
        return dayOfMonthPhrase(s.days) + ", and " + weekdayPhrase(s.weekdays)
    }

    static func dayOfMonthPhrase(_ mask: UInt64) -> String {
        let days = values(mask)
        if let step = step(of: days, low: 1, high: 31) {
            return step.replacingOccurrences(of: "minutes", with: "days").replacingOccurrences(of: "minute", with: "day")
                + " of the month"
        }
        return "on day " + joined(ranges(days)) + " of the month"
    }

    static func weekdayPhrase(_ mask: UInt64) -> String { "on " + weekdayNames(mask, joiner: "and") }

    static func weekdayNames(_ mask: UInt64, joiner: String) -> String {
        joined(ranges(values(mask), name: { weekdayNames[$0] }), joiner: joiner)
    }

    /// "January and July", "March through May" for a month set.
    static func list(of mask: UInt64, field: CronField) -> String {
        joined(ranges(values(mask), name: { field == .month ? monthNames[$0] : String($0) }))
    }

    /// A star-prefixed day field rewritten without the star ("*/2" → "1-31/2").
    static func starless(_ text: String, field: CronField) -> String {
        guard text.hasPrefix("*") else { return text }
        let high = field == .dayOfWeek ? 6 : field.high
        return "\(field.low)-\(high)" + text.dropFirst()
    }

    // MARK: lists

    static func values(_ mask: UInt64) -> [Int] { (0..<64).filter { mask & (1 << UInt64($0)) != 0 } }

    /// Consecutive runs of three or more become "a through b".
    static func ranges(_ values: [Int], name: (Int) -> String = { String($0) }) -> [String] {
        var out: [String] = []
        var i = 0
        while i < values.count {
            var j = i
            while j + 1 < values.count && values[j + 1] == values[j] + 1 { j += 1 }
            if j - i >= 2 {
                out.append("\(name(values[i])) through \(name(values[j]))")
            } else {
                for k in i...j { out.append(name(values[k])) }
            }
            i = j + 1
        }
        return out
    }

    static func joined(_ items: [String], joiner: String = "and") -> String {
        guard items.count > 1, let last = items.last else { return items.first ?? "" }
        return items.dropLast().joined(separator: ", ") + " \(joiner) " + last
    }

    static func pad(_ n: Int) -> String { n < 10 ? "0\(n)" : String(n) }
}

import Foundation

/// A parsed cron schedule with Debian cron's (Vixie cron 3.0pl1) meaning.
///
/// Other areas reuse it: the deadman's `every:` and job playbooks' `schedule:`.
public struct CronSchedule: Sendable, Equatable {
    /// The expression as written.
    public let text: String
    /// Allowed minutes as bits 0–59.
    let minutes: UInt64
    /// Allowed hours as bits 0–23.
    let hours: UInt64
    /// Allowed days of the month as bits 1–31.
    let days: UInt64
    /// Allowed months as bits 1–12.
    let months: UInt64
    /// Allowed weekdays as bits 0–6 (Sunday is 0; a written 7 is folded into 0).
    let weekdays: UInt64
    /// The five fields' text (the expansion's for a macro).
    let fieldTexts: [String]
    /// 0-based offset of each field in `text`.
    let fieldOffsets: [Int]
    /// The macro (`@daily`), when the schedule is one.
    public let macro: String?

    /// True for `@reboot`: it runs when cron starts and has no next time.
    public var isReboot: Bool { macro == "@reboot" }

    /// Vixie's flags: a field whose text starts with `*` counts as unrestricted for the day rule
    /// and as a wildcard for the daylight-saving rules.
    var minuteStar: Bool { fieldTexts.first?.hasPrefix("*") ?? false }
    var hourStar: Bool { fieldTexts.count > 1 && fieldTexts[1].hasPrefix("*") }
    var dayOfMonthStar: Bool { fieldTexts.count > 2 && fieldTexts[2].hasPrefix("*") }
    var dayOfWeekStar: Bool { fieldTexts.count > 4 && fieldTexts[4].hasPrefix("*") }

    /// Jobs with `*` in the minute or hour field follow the new wall clock across a
    /// daylight-saving change; the others are "fixed-time" jobs (cron(8)).
    public var isWildcard: Bool { minuteStar || hourStar }

    /// Parses a five-field expression or a macro; the error says which rule failed and where.
    public static func parse(_ text: String) throws(CronError) -> CronSchedule {
        try CronParser.parse(text)
    }

    /// Warnings about legal but misleading expressions (`cron.day-quirk`).
    public var warnings: [CronWarning] { CronDayQuirk.warnings(for: self) }

    /// The schedule in plain words ("at 04:30 on day 1 and 15 of the month, and on Friday").
    public var explanation: String { CronExplainer.explain(self) }

    /// True when the day rule lets this calendar day fire (time fields aside).
    func dayMatches(day: Int, month: Int, weekday: Int) -> Bool {
        guard months & (1 << UInt64(month)) != 0 else { return false }
        let dom = days & (1 << UInt64(day)) != 0
        let dow = weekdays & (1 << UInt64(weekday)) != 0
        return dayOfMonthStar || dayOfWeekStar ? dom && dow : dom || dow
    }

    /// True when the schedule matches a wall-clock minute (minutes since 1970-01-01 00:00, local).
    func matches(wallMinute: Int64) -> Bool {
        let c = CivilTime(wallMinute: wallMinute)
        return minutes & (1 << UInt64(c.minute)) != 0 && hours & (1 << UInt64(c.hour)) != 0
            && dayMatches(day: c.day, month: c.month, weekday: c.weekday)
    }

    init(
        text: String, minutes: UInt64, hours: UInt64, days: UInt64, months: UInt64, weekdays: UInt64,
        fieldTexts: [String], fieldOffsets: [Int], macro: String?
    ) {
        self.text = text
        self.minutes = minutes
        self.hours = hours
        self.days = days
        self.months = months
        self.weekdays = weekdays
        self.fieldTexts = fieldTexts
        self.fieldOffsets = fieldOffsets
        self.macro = macro
    }
}

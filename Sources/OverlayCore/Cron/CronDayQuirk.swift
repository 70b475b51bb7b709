/// Finds expressions whose day fields mean something other than what they seem to say
/// under Vixie cron's rule (`cron.day-quirk`).
///
/// Debian cron fires when *either* day field matches only if neither field's text starts
/// with `*`; otherwise *both* must match. Two readings surprise people: `*/2` with a weekday
/// (both must match, not either) and a full list such as `1-31` with a weekday (every day).
enum CronDayQuirk {
    static let fullDays: UInt64 = CronField.dayOfMonth.fullMask
    static let fullWeekdays: UInt64 = 0x7F

    static func warnings(for s: CronSchedule) -> [CronWarning] {
        guard s.macro == nil, s.fieldTexts.count == 5 else { return [] }
        let domText = s.fieldTexts[2]
        let dowText = s.fieldTexts[4]
        let domFull = s.days == fullDays
        let dowFull = s.weekdays == fullWeekdays
        guard !domFull && !dowFull else {
            return fullButNotStar(s, domFull: domFull, dowFull: dowFull)
        }
        let dom = CronExplainer.dayOfMonthPhrase(s.days)
        if s.dayOfMonthStar || s.dayOfWeekStar {
            let (field, text, offset) =
                s.dayOfMonthStar ? ("day-of-month", domText, s.fieldOffsets[2]) : ("day-of-week", dowText, s.fieldOffsets[4])
            return [
                CronWarning(
                    rule: "cron.day-quirk",
                    message:
                        "\(field) '\(text)' starts with '*', so Debian cron requires both day fields to match: this runs \(dom) only when that day is also a \(CronExplainer.weekdayNames(s.weekdays, joiner: "or")), not when either matches; to run when either matches, write the \(field) without '*' (e.g. '\(CronExplainer.starless(text, field: s.dayOfMonthStar ? .dayOfMonth : .dayOfWeek))')",
                    offset: offset)
            ]
        }
        return []
    }

    /// `1-31` or `0-6` written without a star: with the other field restricted, every day matches.
    static func fullButNotStar(_ s: CronSchedule, domFull: Bool, dowFull: Bool) -> [CronWarning] {
        if domFull && !dowFull && !s.dayOfMonthStar && !s.dayOfWeekStar {
            return [
                CronWarning(
                    rule: "cron.day-quirk",
                    message:
                        "day-of-month '\(s.fieldTexts[2])' covers every day but does not start with '*', so Debian cron fires when either day field matches: this runs every day, not only \(CronExplainer.weekdayPhrase(s.weekdays)); write '*' for the day of the month",
                    offset: s.fieldOffsets[2])
            ]
        }
        if dowFull && !domFull && !s.dayOfMonthStar && !s.dayOfWeekStar {
            return [
                CronWarning(
                    rule: "cron.day-quirk",
                    message:
                        "day-of-week '\(s.fieldTexts[4])' covers every weekday but does not start with '*', so Debian cron fires when either day field matches: this runs every day, not only \(CronExplainer.dayOfMonthPhrase(s.days)); write '*' for the day of the week",
                    offset: s.fieldOffsets[4])
            ]
        }
        return []
    }
}

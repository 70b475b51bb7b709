/// Rejects schedules that can never fire (`0 0 30 2 *`, `0 0 31 4,6,9,11 *`).
enum CronFeasibility {
    /// Throws `cron.never-fires` when no calendar date satisfies the day and month fields.
    static func check(_ s: CronSchedule) throws(CronError) {
        // With the either-field rule some weekday of every allowed month always matches.
        guard s.dayOfMonthStar || s.dayOfWeekStar else { return }
        // Both fields must match; every date falls on every weekday over the 400-year
        // Gregorian cycle, so the schedule fires iff some allowed day exists in some allowed month.
        for month in 1...12 where s.months & (1 << UInt64(month)) != 0 {
            let longest = month == 2 ? 29 : CivilTime.daysIn(month: month, year: 2001)
            for day in 1...longest where s.days & (1 << UInt64(day)) != 0 { return }
        }
        let monthNames = CronExplainer.list(of: s.months, field: .month)
        throw CronError(
            rule: "cron.never-fires",
            message:
                "day-of-month '\(s.fieldTexts[2])' never occurs in \(monthNames), so this schedule never fires; fix the day or the month",
            offset: s.fieldOffsets[2])
    }
}

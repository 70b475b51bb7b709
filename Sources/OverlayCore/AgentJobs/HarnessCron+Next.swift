import Foundation

extension HarnessCron {
    /// The first time after `date` at which croniter says the job runs, in `zone`; nil when
    /// croniter finds none within 50 years (the harness then refuses the job).
    ///
    /// With five fields the search starts at the next whole minute, with six or seven at the
    /// next second, as croniter does. Wall-clock times the clocks skip or repeat are placed
    /// with Python's `fold=0` rule; croniter's own daylight-saving corrections around such
    /// times are not reproduced (docs/agent-jobs.md).
    public func next(after date: Date, in zone: TimeZone) -> Date? {
        let seconds = date.timeIntervalSince1970
        guard seconds.isFinite, abs(seconds) < 1e11 else { return nil }
        var instant = Int64(seconds.rounded(.down))
        for _ in 0..<1000 {
            let wall = ZoneWall.wall(of: instant, in: zone)
            let start = fieldCount == 5 ? (Self.floorDiv(wall, 60) + 1) * 60 : wall + 1
            guard let found = nextWall(atOrAfter: start, limitYear: CivilTime(wallMinute: Self.floorDiv(start, 60)).year + 50)
            else { return nil }
            let t = ZoneWall.instant(wall: found, in: zone)
            if t > instant { return Date(timeIntervalSince1970: TimeInterval(croniterShift(t, from: Int64(seconds.rounded(.down)), zone))) }
            // A repeated wall-clock hour placed before `date`: look further.
            instant += max(60, wall - found + 1)
        }
        return nil
    }

    /// croniter's daylight-saving correction (its `_get_next`): when the found time has another
    /// UTC offset than the start and lies further away than the start's hours to midnight, it
    /// moves the wall-clock time by the offset change. The harness computes each next run with
    /// a fresh croniter from the last run, so a job whose next run crosses a change runs an
    /// hour early once (and, for a spring change, again at its right time). Reproduced so that
    /// `overlay cron next` says when the harness really runs the job.
    private func croniterShift(_ t: Int64, from start: Int64, _ zone: TimeZone) -> Int64 {
        let startOffset = Int64(zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(start))))
        let offset = Int64(zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(t))))
        guard offset != startOffset else { return t }
        let lag = offset - startOffset
        let startWall = start + startOffset
        let lagSeconds = abs((t + offset) - startWall)
        let beforeMidnight = (24 - Int64(CivilTime(wallMinute: Self.floorDiv(startWall, 60)).hour)) * 3600
        guard (lag > 0 && lagSeconds >= beforeMidnight) || (lag < 0 && lagSeconds + abs(lag) >= beforeMidnight) else { return t }
        return ZoneWall.instant(wall: t + offset - lag, in: zone)
    }

    /// True when the expression fires at least once (checked from 2001, through a full cycle
    /// of leap years and weekdays).
    var canFire: Bool {
        if fieldCount == 7, let years = fields[6] {
            return years.contains { nextWall(atOrAfter: Self.wallStart(of: $0), limitYear: $0) != nil }
        }
        return nextWall(atOrAfter: Self.wallStart(of: 2001), limitYear: 2001 + 50) != nil
    }

    /// The schedule in words (the five standard fields, then seconds and year when given).
    var explanation: String {
        var text = asCronSchedule.explanation
        if fieldCount >= 6, let s = fields[5] { text += ", at second " + CronExplainer.joined(CronExplainer.ranges(s.sorted())) }
        if fieldCount >= 6, fields[5] == nil { text += ", every second" }
        if fieldCount == 7, let y = fields[6] { text += ", in " + CronExplainer.joined(CronExplainer.ranges(y.sorted())) }
        return text
    }

    static func wallStart(of year: Int) -> Int64 { Int64(CivilTime.days(year: year, month: 1, day: 1)) * 86400 }

    static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 { CronClock.floorDiv(a, b) }

    private func allows(_ field: Int, _ value: Int) -> Bool { field < fieldCount ? fields[field]?.contains(value) ?? true : true }

    private func dayMatches(day: Int, month: Int, year: Int) -> Bool {
        let weekday = CivilTime.weekday(days: CivilTime.days(year: year, month: month, day: day))
        if daysORed { return allows(2, day) || allows(4, weekday) }
        return allows(2, day) && allows(4, weekday)
    }

    /// The first wall-clock second at or after `start` that every field allows, jumping over
    /// whole years, months, days, hours and minutes.
    func nextWall(atOrAfter start: Int64, limitYear: Int) -> Int64? {
        let days = Self.floorDiv(start, 86400)
        var (year, month, day) = CivilTime.civil(days: Int(days))
        let secondOfDay = Int(start - days * 86400)
        var (hour, minute, second) = (secondOfDay / 3600, secondOfDay % 3600 / 60, secondOfDay % 60)
        func nextDay() {
            (hour, minute, second) = (0, 0, 0)
            day += 1
            if day > CivilTime.daysIn(month: month, year: year) { (day, month) = (1, month + 1) }
            if month > 12 { (month, year) = (1, year + 1) }
        }
        while year <= limitYear {
            if !allows(6, year) {
                (year, month, day, hour, minute, second) = (year + 1, 1, 1, 0, 0, 0)
                continue
            }
            if !allows(3, month) {
                (month, day, hour, minute, second) = (month + 1, 1, 0, 0, 0)
                if month > 12 { (month, year) = (1, year + 1) }
                continue
            }
            if !dayMatches(day: day, month: month, year: year) {
                nextDay()
                continue
            }
            guard let h = (hour...23).first(where: { allows(1, $0) }) else {
                nextDay()
                continue
            }
            if h != hour { (hour, minute, second) = (h, 0, 0) }
            guard let m = (minute...59).first(where: { allows(0, $0) }) else {
                (minute, second) = (0, 0)
                hour += 1
                if hour > 23 { nextDay() }
                continue
            }
            if m != minute { (minute, second) = (m, 0) }
            let s: Int?
            if fieldCount == 5 { s = second == 0 ? 0 : nil } else { s = (second...59).first { allows(5, $0) } }
            guard let s else {
                second = 0
                minute += 1
                if minute > 59 { (minute, hour) = (0, hour + 1) }
                if hour > 23 { nextDay() }
                continue
            }
            return Int64(CivilTime.days(year: year, month: month, day: day)) * 86400 + Int64(hour * 3600 + m * 60 + s)
        }
        return nil
    }
}

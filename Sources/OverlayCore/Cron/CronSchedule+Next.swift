import Foundation

extension CronSchedule {
    /// The first time strictly after `date` at which Debian cron runs the job in `zone`,
    /// or nil for `@reboot`.
    ///
    /// Daylight-saving changes follow cron(8): fixed-time jobs whose time falls in a skipped
    /// interval run right after the jump; fixed-time jobs in a repeated interval run once;
    /// jobs with `*` in the minute or hour field follow the new wall clock. See docs/cron.md.
    public func next(after date: Date, in zone: TimeZone) -> Date? {
        guard !isReboot else { return nil }
        let seconds = date.timeIntervalSince1970
        guard seconds.isFinite, abs(seconds) < 1e13 else { return nil }
        var t = (Int64((seconds / 60).rounded(.down)) + 1) * 60
        if let resume = resumeAfterRecentFallBack(t, zone), resume > t { t = resume }
        for _ in 0..<100_000 {
            let transition = CronClock.transition(atOrAfter: t, in: zone)
            if let jump = transition, jump == t {
                let (fires, resume) = runsAtJump(jump, zone)
                if fires { return Date(timeIntervalSince1970: TimeInterval(jump)) }
                t = resume
                continue
            }
            let offset = Int64(zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(t))))
            guard let wall = nextWallMinute(atOrAfter: CronClock.floorDiv(t + offset, 60)) else { return nil }
            let real = wall * 60 - offset
            if let jump = transition, real >= jump {
                t = jump
                continue
            }
            return Date(timeIntervalSince1970: TimeInterval(real))
        }
        return nil
    }

    /// The first wall-clock minute at or after `start` that the fields match, jumping over
    /// whole months, days and hours (a Feb-29 schedule answers in a few dozen steps).
    func nextWallMinute(atOrAfter start: Int64) -> Int64? {
        var c = CivilTime(wallMinute: start)
        let lastYear = c.year + 400
        while c.year <= lastYear {
            if months & (1 << UInt64(c.month)) == 0 {
                guard let m = CronClock.nextBit(months, from: c.month + 1, through: 12) else {
                    c = CivilTime(year: c.year + 1, month: 1, day: 1, hour: 0, minute: 0)
                    continue
                }
                c = CivilTime(year: c.year, month: m, day: 1, hour: 0, minute: 0)
            }
            let length = CivilTime.daysIn(month: c.month, year: c.year)
            var weekday = CivilTime.weekday(days: CivilTime.days(year: c.year, month: c.month, day: c.day))
            while c.day <= length && !dayMatches(day: c.day, month: c.month, weekday: weekday) {
                c.day += 1
                c.hour = 0
                c.minute = 0
                weekday = (weekday + 1) % 7
            }
            if c.day > length {
                c =
                    c.month == 12
                    ? CivilTime(year: c.year + 1, month: 1, day: 1, hour: 0, minute: 0)
                    : CivilTime(year: c.year, month: c.month + 1, day: 1, hour: 0, minute: 0)
                continue
            }
            guard let h = CronClock.nextBit(hours, from: c.hour, through: 23) else {
                c = CivilTime(year: c.year, month: c.month, day: c.day, hour: 0, minute: 0)
                c.day += 1
                continue
            }
            if h != c.hour {
                c.hour = h
                c.minute = 0
            }
            guard let m = CronClock.nextBit(minutes, from: c.minute, through: 59) else {
                c.minute = 0
                c.hour += 1
                if c.hour > 23 {
                    c.hour = 0
                    c.day += 1
                }
                continue
            }
            c.minute = m
            return c.wallMinute
        }
        return nil
    }

    /// Whether the job runs at the first minute after a clock change at `jump`, and where the
    /// search resumes otherwise. This is cron(8)'s main loop, case by case.
    func runsAtJump(_ jump: Int64, _ zone: TimeZone) -> (Bool, Int64) {
        let before = Int64(zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(jump - 1))))
        let after = Int64(zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(jump))))
        let now = CronClock.floorDiv(jump + after, 60)  // timeRunning
        let virtual = CronClock.floorDiv(jump - 60 + before, 60)  // virtualTime: the last minute handled
        let diff = now - virtual
        let normalResume = jump + 60
        switch diff {
        case 1:
            return (matches(wallMinute: now), normalResume)
        case 2...5:
            // Woke up late: every job for each missed minute.
            return (((virtual + 1)...now).contains(where: matches), normalResume)
        case 6...180:
            // Moved forward (DST starts): wildcard jobs for the new minute only, fixed-time
            // jobs for every minute that was skipped.
            let fires = isWildcard ? matches(wallMinute: now) : ((virtual + 1)...now).contains(where: matches)
            return (fires, normalResume)
        case (-179)...0:
            // Moved back (DST ends): only wildcard jobs run until the clock catches up with
            // the minutes already handled; fixed-time jobs do not run twice.
            if isWildcard { return (matches(wallMinute: now), normalResume) }
            return (false, jump + (virtual + 1 - now) * 60)
        default:
            // A change of three hours or more is a clock correction: run what matches now.
            return (matches(wallMinute: now), normalResume)
        }
    }

    /// When `t` lies inside the repeated interval after a recent fall-back, the first minute
    /// at which fixed-time jobs may run again.
    func resumeAfterRecentFallBack(_ t: Int64, _ zone: TimeZone) -> Int64? {
        guard !isWildcard, let jump = CronClock.transition(atOrAfter: t - 181 * 60, in: zone), jump < t else { return nil }
        let (_, resume) = runsAtJump(jump, zone)
        return resume
    }
}

/// Small clock helpers for the search.
enum CronClock {
    /// The first offset change at or after `t` (seconds), rounded up to a whole minute.
    static func transition(atOrAfter t: Int64, in zone: TimeZone) -> Int64? {
        guard let next = zone.nextDaylightSavingTimeTransition(after: Date(timeIntervalSince1970: TimeInterval(t - 1))) else {
            return nil
        }
        let seconds = Int64(next.timeIntervalSince1970.rounded(.up))
        return floorDiv(seconds + 59, 60) * 60
    }

    static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
        let q = a / b
        return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
    }

    /// The lowest set bit in `from...through`, or nil.
    @inline(__always)
    static func nextBit(_ mask: UInt64, from: Int, through: Int) -> Int? {
        guard from <= through else { return nil }
        let window = mask >> UInt64(from)
        guard window != 0 else { return nil }
        let bit = from + window.trailingZeroBitCount
        return bit <= through ? bit : nil
    }
}

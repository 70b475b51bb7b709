/// Proleptic Gregorian calendar arithmetic on wall-clock minutes, without Foundation's
/// Calendar (which is far slower and not needed: cron works on local wall time).
struct CivilTime: Equatable {
    var year: Int
    var month: Int
    var day: Int
    var hour: Int
    var minute: Int

    /// 0 = Sunday … 6 = Saturday.
    var weekday: Int { CivilTime.weekday(days: CivilTime.days(year: year, month: month, day: day)) }

    init(year: Int, month: Int, day: Int, hour: Int, minute: Int) {
        self.year = year
        self.month = month
        self.day = day
        self.hour = hour
        self.minute = minute
    }

    /// Breaks wall-clock minutes since 1970-01-01 00:00 into fields.
    init(wallMinute: Int64) {
        let dayNumber = Int(wallMinute >= 0 ? wallMinute / 1440 : (wallMinute - 1439) / 1440)
        let minuteOfDay = Int(wallMinute - Int64(dayNumber) * 1440)
        (year, month, day) = CivilTime.civil(days: dayNumber)
        hour = minuteOfDay / 60
        minute = minuteOfDay % 60
    }

    /// Wall-clock minutes since 1970-01-01 00:00.
    var wallMinute: Int64 {
        Int64(CivilTime.days(year: year, month: month, day: day)) * 1440 + Int64(hour * 60 + minute)
    }

    /// Days since 1970-01-01 (Howard Hinnant's days_from_civil).
    static func days(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The date of a day number (civil_from_days).
    static func civil(days: Int) -> (Int, Int, Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    /// 0 = Sunday for a day number (1970-01-01 was a Thursday).
    static func weekday(days: Int) -> Int {
        let w = (days + 4) % 7
        return w < 0 ? w + 7 : w
    }

    static func isLeap(_ year: Int) -> Bool { year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }
}

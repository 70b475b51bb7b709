import Foundation

/// A one-shot's time as `datetime.fromisoformat` (CPython 3.11) reads it: a calendar date
/// (`2026-03-01` or `20260301`), optionally a one-character separator and a time (`09`,
/// `09:30`, `0930`, `09:30:15.5`), optionally an offset (`Z`, `+01:00`, `+0100`, `-05`).
/// ISO week dates (`2026-W09-7`), which Python also reads, are refused: write the calendar date.
public struct HarnessDateTime: Sendable, Equatable {
    public var year, month, day, hour, minute, second, microsecond: Int
    /// Seconds east of UTC; nil for a naive time (the harness's configured zone applies).
    public var offsetSeconds: Int?

    /// Parses an ISO text (with the harness's `Z` → `+00:00` already done), or says why not.
    static func parse(_ text: String) -> Result<HarnessDateTime, Refusal> {
        let b = Array(text.utf8)
        guard b.count >= 7 else { return .failure(Refusal("too short for a date")) }
        if b.count > 5 && (b[4] == UInt8(ascii: "W") || (b[4] == UInt8(ascii: "-") && b[5] == UInt8(ascii: "W"))) {
            return .failure(Refusal("overlay does not read ISO week dates; write the calendar date (YYYY-MM-DD)"))
        }
        let separator = b[4] == UInt8(ascii: "-") ? 10 : 8
        guard b.count >= separator else { return .failure(Refusal("write the date as YYYY-MM-DD")) }
        var t = HarnessDateTime(year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0, microsecond: 0, offsetSeconds: nil)
        let dashed = separator == 10
        guard let y = digits(b, 0, 4), let m = digits(b, dashed ? 5 : 4, 2), let d = digits(b, dashed ? 8 : 6, 2),
            !dashed || (b[7] == UInt8(ascii: "-"))
        else { return .failure(Refusal("write the date as YYYY-MM-DD")) }
        (t.year, t.month, t.day) = (y, m, d)
        if b.count > separator {
            guard b[separator] < 0x80 else {
                return .failure(Refusal("the date and the time are separated by one ASCII character such as T"))
            }
            switch parseTime(Array(b[(separator + 1)...]), into: &t) {
            case .some(let why): return .failure(Refusal(why))
            case .none: break
            }
        }
        guard (1...9999).contains(t.year), (1...12).contains(t.month), t.day >= 1, t.day <= CivilTime.daysIn(month: t.month, year: t.year)
        else { return .failure(Refusal("\(t.year)-\(t.month)-\(t.day) is not a date")) }
        guard t.hour < 24, t.minute < 60, t.second < 60 else { return .failure(Refusal("the time of day is out of range")) }
        if let o = t.offsetSeconds, abs(o) >= 86400 { return .failure(Refusal("the offset must be less than 24 hours")) }
        return .success(t)
    }

    /// `parse_isoformat_time`: the time, then an optional offset. Nil when it parsed.
    private static func parseTime(_ b: [UInt8], into t: inout HarnessDateTime) -> String? {
        let tz = b.firstIndex { $0 == UInt8(ascii: "Z") || $0 == UInt8(ascii: "+") || $0 == UInt8(ascii: "-") } ?? b.count
        guard let (fields, more) = hhmmssff(Array(b[..<tz])) else { return "write the time as HH:MM[:SS]" }
        (t.hour, t.minute, t.second, t.microsecond) = (fields[0], fields[1], fields[2], fields[3])
        if tz == b.count { return more ? "unexpected text after the time" : nil }
        if b[tz] == UInt8(ascii: "Z") { return tz + 1 == b.count ? nil : "unexpected text after Z" }
        guard let (offset, rest) = hhmmssff(Array(b[(tz + 1)...])), !rest else { return "write the offset as +HH:MM" }
        let sign = b[tz] == UInt8(ascii: "-") ? -1 : 1
        t.offsetSeconds = sign * (offset[0] * 3600 + offset[1] * 60 + offset[2])
        return nil
    }

    /// `parse_hh_mm_ss_ff`: `HH[:?MM[:?SS[{.,}f…]]]`; the values and whether text remains.
    private static func hhmmssff(_ b: [UInt8]) -> ([Int], Bool)? {
        var v = [0, 0, 0, 0]
        var p = 0
        var separated = true
        for i in 0..<3 {
            guard let n = digits(b, p, 2) else { return nil }
            v[i] = n
            p += 2
            let c: UInt8 = p < b.count ? b[p] : 0
            p += 1
            if i == 0 { separated = c == UInt8(ascii: ":") }
            if p >= b.count { return (v, p == b.count && c != 0) }
            if separated && c == UInt8(ascii: ":") { continue }
            if c == UInt8(ascii: ".") || c == UInt8(ascii: ",") { break }
            if !separated {
                p -= 1
            } else {
                return nil
            }
        }
        let take = min(6, b.count - p)
        guard take > 0, let frac = digits(b, p, take) else { return nil }
        v[3] = frac * [100_000, 10_000, 1_000, 100, 10, 1][take - 1]
        p += take
        while p < b.count && (0x30...0x39).contains(b[p]) { p += 1 }
        return (v, p < b.count)
    }

    private static func digits(_ b: [UInt8], _ at: Int, _ count: Int) -> Int? {
        guard at >= 0, at + count <= b.count else { return nil }
        var n = 0
        for c in b[at..<(at + count)] {
            guard (0x30...0x39).contains(c) else { return nil }
            n = n * 10 + Int(c - 0x30)
        }
        return n
    }

    /// The wall-clock seconds since 1970-01-01 00:00 (ignoring the offset).
    var wallSeconds: Int64 {
        Int64(CivilTime.days(year: year, month: month, day: day)) * 86400 + Int64(hour * 3600 + minute * 60 + second)
    }

    /// The instant: with its offset, or placed in `zone` the way Python does for fold=0.
    public func instant(in zone: TimeZone) -> Date {
        let fraction = TimeInterval(microsecond) / 1_000_000
        if let offsetSeconds { return Date(timeIntervalSince1970: TimeInterval(wallSeconds - Int64(offsetSeconds)) + fraction) }
        return Date(timeIntervalSince1970: TimeInterval(ZoneWall.instant(wall: wallSeconds, in: zone)) + fraction)
    }

    /// Python's `isoformat()` of the aware time (`2026-03-01T09:00:00+01:00`).
    public func isoformat(in zone: TimeZone) -> String {
        // A naive time takes the offset Python's fold=0 gives it (the one before a clock change).
        let offset = offsetSeconds ?? Int(wallSeconds - ZoneWall.instant(wall: wallSeconds, in: zone))
        func p(_ n: Int, _ w: Int = 2) -> String { String(repeating: "0", count: max(0, w - String(n).count)) + String(n) }
        var s = "\(p(year, 4))-\(p(month))-\(p(day))T\(p(hour)):\(p(minute)):\(p(second))"
        if microsecond != 0 { s += "." + p(microsecond, 6) }
        let a = abs(offset)
        s += (offset < 0 ? "-" : "+") + p(a / 3600) + ":" + p(a % 3600 / 60)
        if a % 60 != 0 { s += ":" + p(a % 60) }
        return s
    }

    /// `strftime('%Y-%m-%d %H:%M')`, the harness's display.
    func displayMinute(in zone: TimeZone) -> String {
        func p(_ n: Int, _ w: Int = 2) -> String { String(repeating: "0", count: max(0, w - String(n).count)) + String(n) }
        return "\(p(year, 4))-\(p(month))-\(p(day)) \(p(hour)):\(p(minute))"
    }
}

/// Wall-clock time in a zone, converted as Python's zoneinfo does with `fold=0`: a time the
/// clocks skip or repeat takes the offset in effect before the change.
enum ZoneWall {
    /// Seconds since the epoch for wall-clock seconds `wall` in `zone`.
    static func instant(wall: Int64, in zone: TimeZone) -> Int64 {
        let before = Int64(zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(wall - 86400))))
        let after = Int64(zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(wall + 86400))))
        for offset in [before, after] {
            let t = wall - offset
            if Int64(zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(t)))) == offset { return t }
        }
        return wall - before
    }

    /// The wall-clock seconds of instant `t` in `zone`.
    static func wall(of t: Int64, in zone: TimeZone) -> Int64 {
        t + Int64(zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(t))))
    }
}

/// YAML 1.1 timestamps as PyYAML reads them and Ansible prints them: a plain
/// `2001-12-14` is a date, `2001-12-14 21:59:43.10 -5` a datetime, and Ansible's
/// JSON shows Python's `isoformat()` of either (`2001-12-14T21:59:43.100000-05:00`).
enum YAMLTimestamp {
    /// What a scalar is as a timestamp.
    enum Reading: Equatable {
        /// Not written like a timestamp at all.
        case notTimestamp
        /// A valid date or datetime, as Python's isoformat() prints it.
        case value(String)
        /// Written like a timestamp but no real date or time (PyYAML raises, so Ansible refuses the file).
        case invalid(String)
    }

    /// Reads `text` with PyYAML's timestamp expression and constructor.
    static func parse(_ text: String) -> Reading {
        var utf8 = text
        return utf8.withUTF8 { parse($0) }
    }

    /// Reads `b` (the scalar's UTF-8 bytes) with PyYAML's timestamp expression and constructor.
    static func parse(_ b: UnsafeBufferPointer<UInt8>) -> Reading {
        var i = 0
        func digits(_ min: Int, _ max: Int) -> Int? {
            var n = 0
            var v = 0
            while i < b.count, n < max, b[i] >= 0x30, b[i] <= 0x39 {
                v = v * 10 + Int(b[i] - 0x30)
                i += 1
                n += 1
            }
            return n >= min ? v : nil
        }
        func take(_ c: UInt8) -> Bool {
            guard i < b.count, b[i] == c else { return false }
            i += 1
            return true
        }
        guard b.count >= 8, let year = digits(4, 4), take(UInt8(ascii: "-")) else { return .notTimestamp }
        let monthStart = i
        guard let month = digits(1, 2), take(UInt8(ascii: "-")) else { return .notTimestamp }
        let dayStart = i
        guard let day = digits(1, 2) else { return .notTimestamp }
        if i == b.count {
            // The date-only form needs two digits each for month and day.
            guard dayStart - monthStart == 3, i - dayStart == 2 else { return .notTimestamp }
            return check(year, month, day).map(Reading.invalid) ?? .value(date(year, month, day))
        }
        guard take(UInt8(ascii: "T")) || take(UInt8(ascii: "t")) || skipBlanks(b, &i) else { return .notTimestamp }
        guard let hour = digits(1, 2), take(UInt8(ascii: ":")), let minute = digits(2, 2), take(UInt8(ascii: ":")),
            let second = digits(2, 2)
        else { return .notTimestamp }
        var micro = 0
        if take(UInt8(ascii: ".")) {
            var n = 0
            while i < b.count, b[i] >= 0x30, b[i] <= 0x39 {
                if n < 6 { micro = micro * 10 + Int(b[i] - 0x30) }
                n += 1
                i += 1
            }
            for _ in min(n, 6)..<6 { micro *= 10 }
        }
        var zone = ""
        var offsetMinutes = 0
        let beforeZone = i
        _ = skipBlanks(b, &i)
        if take(UInt8(ascii: "Z")) {
            zone = "+00:00"
        } else if i < b.count, b[i] == UInt8(ascii: "-") || b[i] == UInt8(ascii: "+") {
            let negative = b[i] == UInt8(ascii: "-")
            i += 1
            guard let h = digits(1, 2) else { return .notTimestamp }
            var m = 0
            if take(UInt8(ascii: ":")) {
                guard let mm = digits(2, 2) else { return .notTimestamp }
                m = mm
            }
            offsetMinutes = (negative ? -1 : 1) * (h * 60 + m)
            zone = offset(offsetMinutes)
        } else {
            i = beforeZone
        }
        guard i == b.count else { return .notTimestamp }
        if let problem = check(year, month, day) { return .invalid(problem) }
        guard hour < 24 else { return .invalid("hour must be in 0..23") }
        guard minute < 60 else { return .invalid("minute must be in 0..59") }
        guard second < 60 else { return .invalid("second must be in 0..59") }
        guard abs(offsetMinutes) < 24 * 60 else { return .invalid("the UTC offset must be less than 24 hours") }
        var text = date(year, month, day) + "T" + pad(hour) + ":" + pad(minute) + ":" + pad(second)
        if micro != 0 { text += "." + pad(micro, 6) }
        return .value(text + zone)
    }

    private static func skipBlanks(_ b: UnsafeBufferPointer<UInt8>, _ i: inout Int) -> Bool {
        let start = i
        while i < b.count, b[i] == 0x20 || b[i] == 0x09 { i += 1 }
        return i > start
    }

    /// Python's date() checks, phrased as Python phrases them.
    private static func check(_ year: Int, _ month: Int, _ day: Int) -> String? {
        guard year >= 1 else { return "year 0 is out of range" }
        guard (1...12).contains(month) else { return "month must be in 1..12" }
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
        guard (1...days).contains(day) else { return "day is out of range for month" }
        return nil
    }

    private static func date(_ year: Int, _ month: Int, _ day: Int) -> String {
        pad(year, 4) + "-" + pad(month) + "-" + pad(day)
    }

    /// Python's timezone isoformat: `+HH:MM`.
    private static func offset(_ minutes: Int) -> String {
        (minutes < 0 ? "-" : "+") + pad(abs(minutes) / 60) + ":" + pad(abs(minutes) % 60)
    }

    private static func pad(_ v: Int, _ width: Int = 2) -> String {
        let s = String(v)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }
}

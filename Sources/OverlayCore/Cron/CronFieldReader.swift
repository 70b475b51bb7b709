/// Reads one field's list of items (`1,15`, `*/5`, `mon-fri/2`) into a bit set, the way
/// Vixie cron's get_list/get_range/get_number do, with a located error for each mistake.
struct CronFieldReader {
    let scalars: [Unicode.Scalar]
    let range: Range<Int>
    let field: CronField
    private var position: Int

    init(scalars: [Unicode.Scalar], range: Range<Int>, field: CronField) {
        self.scalars = scalars
        self.range = range
        self.field = field
        self.position = range.lowerBound
    }

    private var current: Unicode.Scalar? { position < range.upperBound ? scalars[position] : nil }

    /// The field's values as bits (bit n set = value n allowed).
    mutating func read() throws(CronError) -> UInt64 {
        var mask: UInt64 = 0
        while true {
            mask |= try readItem()
            guard let c = current else { return mask }
            if c == "," {
                position += 1
                if current == nil { throw syntax("the \(field.label) field ends with a comma; remove it or add a value") }
                continue
            }
            throw unexpected(c)
        }
    }

    /// One item: `*`, a value, or a range, each optionally with `/step`.
    private mutating func readItem() throws(CronError) -> UInt64 {
        let itemStart = position
        guard let c = current else { throw syntax("empty item in the \(field.label) field (two commas in a row?)") }
        var low: Int
        var high: Int
        var isRange = false
        if c == "*" {
            position += 1
            (low, high) = (field.low, field.high)
            isRange = true
            if let next = current, next != "/" && next != "," {
                throw syntax(
                    "after '*' only a step may follow (\"*/15\"); for a range write it without the star (\"1-5\")")
            }
        } else if c == "?" {
            throw syntax(
                "'?' is not Debian cron (it comes from Quartz); write '*' in the \(field.label) field")
        } else {
            low = try readValue()
            high = low
            if current == "-" {
                position += 1
                high = try readValue()
                isRange = true
                if high < low {
                    let text = String(String.UnicodeScalarView(scalars[itemStart..<position]))
                    throw CronError(
                        rule: "cron.range",
                        message:
                            "reversed range '\(text)' in the \(field.label) field: Debian cron does not wrap around, so it never matches; write the low value first\(field == .dayOfWeek ? " or split it into two ranges (\"fri-sat,sun-mon\")" : "")",
                        offset: range.lowerBound)
                }
            }
        }
        var step = 1
        if current == "/" {
            guard isRange else {
                let text = String(String.UnicodeScalarView(scalars[itemStart..<position]))
                throw syntax(
                    "a step needs a range or '*': Debian cron rejects '\(text)/…'; write '\(text)-\(field.high)/…' or '*/…'")
            }
            position += 1
            guard let digits = readDigits() else {
                throw syntax("a step must be a number (\"*/15\")")
            }
            guard digits > 0 else {
                throw CronError(
                    rule: "cron.range", message: "a step of 0 in the \(field.label) field never advances; use a step of 1 or more",
                    offset: range.lowerBound)
            }
            step = digits
        }
        var mask: UInt64 = 0
        var value = low
        while value <= high {
            mask |= 1 << UInt64(value)
            value += step
        }
        return mask
    }

    /// A number or a name, range-checked.
    private mutating func readValue() throws(CronError) -> Int {
        let start = position
        while let c = current, c.properties.isAlphabetic || ("0"..."9").contains(c) { position += 1 }
        let token = String(String.UnicodeScalarView(scalars[start..<position]))
        guard !token.isEmpty else {
            if let c = current { throw unexpected(c) }
            throw syntax("a range needs a value after '-' (\"1-5\")")
        }
        if token.unicodeScalars.allSatisfy({ ("0"..."9").contains($0) }) {
            // Compare digit by digit so a huge number is a range error, not an overflow.
            let trimmed = token.drop(while: { $0 == "0" })
            let value = trimmed.count > 4 ? Int.max : Int(trimmed.isEmpty ? "0" : trimmed) ?? Int.max
            guard value >= field.low && value <= field.high else {
                throw CronError(
                    rule: "cron.range",
                    message: "\(token) is out of range for the \(field.label) field; use \(field.legalValues)",
                    offset: range.lowerBound)
            }
            return value
        }
        if let value = field.value(ofName: Substring(token)) { return value }
        throw unknownWord(token)
    }

    private mutating func readDigits() -> Int? {
        let start = position
        while let c = current, ("0"..."9").contains(c) { position += 1 }
        guard position > start else { return nil }
        let text = String(String.UnicodeScalarView(scalars[start..<position])).drop(while: { $0 == "0" })
        return text.isEmpty ? 0 : (text.count > 6 ? 1_000_000 : Int(text) ?? 1_000_000)
    }

    /// Explains a word that is not a name: another cron's extension, or a typo.
    private func unknownWord(_ token: String) -> CronError {
        let upper = token.uppercased()
        let isNumberThen = { (suffix: String) in
            upper.hasSuffix(suffix) && upper.dropLast(suffix.count).allSatisfy(\.isNumber)
        }
        if field == .dayOfMonth && (upper == "L" || upper == "LW" || isNumberThen("W")) {
            return syntax(
                "\(field.label) field: '\(token)' (last day / nearest weekday) is not Debian cron; list the days explicitly (e.g. \"28-31\" with a test in the command)"
            )
        }
        if field == .dayOfWeek && (upper == "L" || isNumberThen("L")) {
            return syntax(
                "\(field.label) field: '\(token)' (last weekday of the month) is not Debian cron; use a day-of-week name or number")
        }
        if field.names.isEmpty {
            return syntax("'\(token)' is not a number; the \(field.label) field takes \(field.legalValues)")
        }
        let hint = Suggest.closest(token.lowercased(), in: field.names).map { " — did you mean '\($0)'?" } ?? ""
        return syntax(
            "unknown \(field.label) name '\(token)'\(hint); the field takes \(field.legalValues) (three-letter names only)")
    }

    private func unexpected(_ c: Unicode.Scalar) -> CronError {
        if c == "#" {
            return syntax("\(field.label) field: '#' (nth weekday of the month) is not Debian cron; use a day-of-week name or number")
        }
        if c == "/" { return syntax("a step must follow a range or '*' (\"*/15\", \"1-30/5\")") }
        return syntax("unexpected '\(c)' in the \(field.label) field; it takes \(field.legalValues), lists, ranges and steps")
    }

    /// Errors point at the start of the field (the contract callers compute columns from).
    private func syntax(_ message: String) -> CronError {
        CronError(rule: "cron.syntax", message: message, offset: range.lowerBound)
    }
}

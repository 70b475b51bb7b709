/// YAML 1.1 implicit scalar resolution, matching PyYAML's resolver table and
/// constructors (what Ansible reads): the regular expressions are written out as
/// byte scanners, since every plain scalar of every file goes through here.
enum ScalarResolver {
    /// The value of an untagged plain scalar.
    static func resolvePlain(_ text: String) -> Value {
        guard let first = text.utf8.first else { return .null }
        switch first {
        case UInt8(ascii: "~"), UInt8(ascii: "n"), UInt8(ascii: "N"):
            if text == "~" || text == "null" || text == "Null" || text == "NULL" { return .null }
        default: break
        }
        if let b = bool(text) { return .bool(b) }
        guard
            (first >= 0x30 && first <= 0x39) || first == UInt8(ascii: "-") || first == UInt8(ascii: "+")
                || first == UInt8(ascii: ".")
        else { return .string(text) }
        // One look at the bytes in place: most numeric-looking scalars are plain numbers or addresses.
        var utf8 = text
        let shape = utf8.withUTF8 { b -> Int in isFloat(b) ? 1 : isInt(b) ? 2 : 0 }
        if shape == 1 { return float(text).map(Value.double) ?? .string(text) }
        if shape == 2 { return int(text) ?? .string(text) }
        if first >= 0x30 && first <= 0x39, text.utf8.count >= 8, case .value(let iso) = YAMLTimestamp.parse(text) {
            return .string(iso)
        }
        return .string(text)
    }

    static func bool(_ text: String) -> Bool? {
        // Every YAML 1.1 boolean is 2–5 ASCII letters starting with one of these.
        guard (2...5).contains(text.utf8.count), let f = text.utf8.first, "yYnNoOtTfF".utf8.contains(f) else { return nil }
        switch text {
        case "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON": return true
        case "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF": return false
        default: return nil
        }
    }

    /// `!!bool`'s constructor: the implicit words in any case.
    static func explicitBool(_ text: String) -> Bool? {
        switch text.lowercased() {
        case "yes", "true", "on": return true
        case "no", "false", "off": return false
        default: return nil
        }
    }

    // MARK: - Matching (PyYAML's implicit resolver expressions)

    private static func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }

    /// Index past `[0-9_]*` from `i`.
    private static func skipDigits(_ b: UnsafeBufferPointer<UInt8>, _ i: Int, underscore: Bool = true) -> Int {
        var i = i
        while i < b.count, isDigit(b[i]) || (underscore && b[i] == UInt8(ascii: "_")) { i += 1 }
        return i
    }

    /// Index past an optional `[eE][-+][0-9]+` from `i`, or nil when one starts but is malformed.
    private static func skipExponent(_ b: UnsafeBufferPointer<UInt8>, _ i: Int) -> Int? {
        guard i < b.count, b[i] == UInt8(ascii: "e") || b[i] == UInt8(ascii: "E") else { return i }
        guard i + 1 < b.count, b[i + 1] == UInt8(ascii: "-") || b[i + 1] == UInt8(ascii: "+") else { return nil }
        let end = skipDigits(b, i + 2, underscore: false)
        return end > i + 2 ? end : nil
    }

    /// Index past one or more `:[0-5]?[0-9]` groups from `i`, or nil when there is none.
    private static func skipSexagesimal(_ b: UnsafeBufferPointer<UInt8>, _ i: Int) -> Int? {
        var i = i
        var groups = 0
        while i < b.count, b[i] == UInt8(ascii: ":") {
            let d = skipDigits(b, i + 1, underscore: false)
            let n = d - (i + 1)
            guard n == 1 || (n == 2 && b[i + 1] <= UInt8(ascii: "5")) else { return nil }
            i = d
            groups += 1
        }
        return groups > 0 ? i : nil
    }

    /// PyYAML's float expression.
    static func isFloat(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = 0
        let signed = i < b.count && (b[i] == UInt8(ascii: "-") || b[i] == UInt8(ascii: "+"))
        if signed { i += 1 }
        guard i < b.count else { return false }
        if b[i] == UInt8(ascii: ".") {
            let rest = b[(i + 1)...]
            if rest.elementsEqual("inf".utf8) || rest.elementsEqual("Inf".utf8) || rest.elementsEqual("INF".utf8) { return true }
            if !signed, rest.elementsEqual("nan".utf8) || rest.elementsEqual("NaN".utf8) || rest.elementsEqual("NAN".utf8) {
                return true
            }
            // `\.[0-9][0-9_]*([eE][-+][0-9]+)?`, without a sign.
            guard !signed, i + 1 < b.count, isDigit(b[i + 1]) else { return false }
            return skipExponent(b, skipDigits(b, i + 1)) == b.count
        }
        guard isDigit(b[i]) else { return false }
        i = skipDigits(b, i)
        if i < b.count, b[i] == UInt8(ascii: ":") {
            guard let after = skipSexagesimal(b, i), after < b.count, b[after] == UInt8(ascii: ".") else { return false }
            return skipDigits(b, after + 1) == b.count
        }
        guard i < b.count, b[i] == UInt8(ascii: ".") else { return false }
        return skipExponent(b, skipDigits(b, i + 1)) == b.count
    }

    /// PyYAML's int expression.
    static func isInt(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = 0
        if i < b.count, b[i] == UInt8(ascii: "-") || b[i] == UInt8(ascii: "+") { i += 1 }
        guard i < b.count, isDigit(b[i]) else { return false }
        if b[i] == UInt8(ascii: "0") {
            if i + 1 == b.count { return true }
            let rest = b[(i + 1)...]
            switch b[i + 1] {
            case UInt8(ascii: "b"):
                return rest.count > 1 && rest.dropFirst().allSatisfy { $0 == 0x30 || $0 == 0x31 || $0 == UInt8(ascii: "_") }
            case UInt8(ascii: "x"):
                return rest.count > 1 && rest.dropFirst().allSatisfy { $0.isHexDigitByte || $0 == UInt8(ascii: "_") }
            default:
                return rest.allSatisfy { ($0 >= 0x30 && $0 <= 0x37) || $0 == UInt8(ascii: "_") }
            }
        }
        i = skipDigits(b, i)
        if i == b.count { return true }
        return skipSexagesimal(b, i) == b.count
    }

    /// `isFloat` on a string's bytes.
    static func isFloat(_ text: String) -> Bool {
        var utf8 = text
        return utf8.withUTF8 { isFloat($0) }
    }

    /// `isInt` on a string's bytes.
    static func isInt(_ text: String) -> Bool {
        var utf8 = text
        return utf8.withUTF8 { isInt($0) }
    }

    // MARK: - Construction (PyYAML's constructors)

    /// `construct_yaml_int`: nil when the text is no integer at all (only for `!!int`).
    static func int(_ raw: String) -> Value? {
        // Fast path for the common case, plain decimal digits without a leading zero.
        if let f = raw.utf8.first, f != UInt8(ascii: "0") || raw.utf8.count == 1, raw.utf8.count < 19,
            raw.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") })
        {
            return Int(raw).map(Value.int)
        }
        var text = Substring(raw.filter { $0 != "_" })
        var negative = false
        if let f = text.first, f == "-" || f == "+" {
            negative = f == "-"
            text = text.dropFirst()
        }
        guard !text.isEmpty else { return nil }
        let magnitude: LargeInteger?
        if text == "0" {
            return .int(0)
        } else if text.hasPrefix("0b") {
            magnitude = LargeInteger(text.dropFirst(2), radix: 2)
        } else if text.hasPrefix("0x") {
            magnitude = LargeInteger(text.dropFirst(2), radix: 16)
        } else if text.hasPrefix("0") {
            magnitude = LargeInteger(text, radix: 8)
        } else if text.contains(":") {
            var total = LargeInteger.zero
            for part in text.split(separator: ":", omittingEmptySubsequences: false) {
                guard let v = LargeInteger(part, radix: 10) else { return nil }
                total = total.times(60).plus(v)
            }
            magnitude = total
        } else {
            magnitude = LargeInteger(text, radix: 10)
        }
        return magnitude?.value(negative: negative)
    }

    /// `construct_yaml_float`: nil when the text is no number at all (only for `!!float`).
    static func float(_ raw: String) -> Double? {
        var text = Substring(raw.filter { $0 != "_" }.lowercased())
        var sign = 1.0
        if let f = text.first, f == "-" || f == "+" {
            if f == "-" { sign = -1 }
            text = text.dropFirst()
        }
        if text == ".inf" { return sign * .infinity }
        if text == ".nan" { return .nan }
        if text.contains(":") {
            var total = 0.0
            for part in text.split(separator: ":", omittingEmptySubsequences: false) {
                guard let v = Double(part) else { return nil }
                total = total * 60 + v
            }
            return sign * total
        }
        // Python's float() reads what Swift's does, apart from spellings PyYAML never passes it.
        return Double(text).map { sign * $0 }
    }

    /// Kept for callers that want a Double from YAML float text.
    static func double(_ raw: String) -> Double? {
        isFloat(raw) ? float(raw) : nil
    }
}

extension UInt8 {
    fileprivate var isHexDigitByte: Bool {
        (self >= 0x30 && self <= 0x39) || (self >= 0x61 && self <= 0x66) || (self >= 0x41 && self <= 0x46)
    }
}

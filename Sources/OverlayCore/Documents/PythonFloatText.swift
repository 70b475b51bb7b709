/// A Double written as Python's `repr(float)` writes it, which is what Ansible's JSON
/// and templates show: the shortest digits that read back the same, in fixed notation
/// from 1e-4 up to 1e16 (`1000000000000000.0`, `0.0001`) and exponent notation outside
/// it (`1e+16`, `1e-05`), always with a `.0` or an exponent so it reads as a float.
enum PythonFloatText {
    /// The text for a finite value (`inf`/`nan` are the caller's choice: JSON has none).
    static func repr(_ value: Double) -> String {
        guard value.isFinite else { return value.isNaN ? "nan" : (value < 0 ? "-inf" : "inf") }
        let negative = value.sign == .minus
        // Swift's description also gives the shortest round-tripping digits; only the layout differs.
        let (digits, point) = shortestDigits(abs(value))
        let sign = negative ? "-" : ""
        if digits.isEmpty { return sign + "0.0" }
        if point > -4 && point <= 16 {
            if point <= 0 { return sign + "0." + String(repeating: "0", count: -point) + digits }
            if point >= digits.count { return sign + digits + String(repeating: "0", count: point - digits.count) + ".0" }
            let split = digits.index(digits.startIndex, offsetBy: point)
            return sign + digits[..<split] + "." + digits[split...]
        }
        let exponent = point - 1
        let mantissa = digits.count == 1 ? digits : String(digits.prefix(1)) + "." + digits.dropFirst()
        let e = String(abs(exponent))
        return sign + mantissa + "e" + (exponent < 0 ? "-" : "+") + (e.count < 2 ? "0" + e : e)
    }

    /// The significant digits (no leading or trailing zeros) and the decimal point's
    /// position: value = 0.DIGITS × 10^point.
    static func shortestDigits(_ value: Double) -> (String, Int) {
        let text = value.description
        let parts = text.split(separator: "e", maxSplits: 1)
        let exponent = parts.count == 2 ? Int(parts[1]) ?? 0 : 0
        let mantissa = parts[0]
        let whole = mantissa.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        var digits = Array(whole[0]) + (whole.count == 2 ? Array(whole[1]) : [])
        var point = whole[0].count + exponent
        while digits.first == "0" {
            digits.removeFirst()
            point -= 1
        }
        while digits.last == "0" { digits.removeLast() }
        return (String(digits), point)
    }
}

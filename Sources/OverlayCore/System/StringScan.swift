/// Small text operations on hot paths done in Swift instead of through `NSString` (which
/// converts to UTF-16 and back: `trimmingCharacters(in:)` and `contains(_:)` were 10 % of a
/// 1,000-host no-op converge, on crontab lines).
public enum StringScan {
    /// `text` without leading and trailing blanks: what `trimmingCharacters(in: .whitespaces)`
    /// removes (the tab, every space separator — U+0020, U+00A0, U+3000, … — and U+200B, the
    /// zero-width space Foundation's table still counts).
    public static func trimmingBlanks<S: StringProtocol>(_ text: S) -> Substring {
        let scalars = Substring(text).unicodeScalars
        guard let first = scalars.firstIndex(where: { !isBlank($0) }) else { return Substring() }
        let last = scalars.lastIndex(where: { !isBlank($0) }) ?? first
        return Substring(scalars[first...last])
    }

    /// True for what `CharacterSet.whitespaces` holds.
    @inline(__always) public static func isBlank(_ s: Unicode.Scalar) -> Bool {
        s == " " || s == "\t" || (s.value >= 0x80 && (s.value == 0x200B || s.properties.generalCategory == .spaceSeparator))
    }

    /// `text` cut at every line feed, empty lines kept; joining them with "\n" gives `text`
    /// back byte for byte. Cut by scalars, not by `Character`: "\r\n" is one Character, so
    /// `split(separator: "\n")` never cuts a CRLF file.
    public static func lines(_ text: String) -> [Substring] {
        let scalars = text.unicodeScalars
        var out: [Substring] = []
        var start = scalars.startIndex
        var i = start
        while i < scalars.endIndex {
            if scalars[i] == "\n" {
                out.append(Substring(scalars[start..<i]))
                start = scalars.index(after: i)
            }
            i = scalars.index(after: i)
        }
        out.append(Substring(scalars[start...]))
        return out
    }

    /// True when `needle`'s UTF-8 bytes occur in `text`'s (an exact, literal search).
    public static func contains(_ text: String, _ needle: String) -> Bool {
        var text = text
        var needle = needle
        return text.withUTF8 { hay in
            needle.withUTF8 { pin in
                guard !pin.isEmpty else { return true }
                guard hay.count >= pin.count else { return false }
                let first = pin[0]
                var i = 0
                let end = hay.count - pin.count
                while i <= end {
                    if hay[i] == first {
                        var j = 1
                        while j < pin.count && hay[i + j] == pin[j] { j += 1 }
                        if j == pin.count { return true }
                    }
                    i += 1
                }
                return false
            }
        }
    }
}

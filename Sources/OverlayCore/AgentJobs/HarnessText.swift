/// The few Python string rules the harness's schedule parser depends on, on Unicode scalars
/// (Python indexes code points, not grapheme clusters).
///
/// `str.strip()` and `str.split()` use `str.isspace`, and `re`'s `\d` matches any decimal
/// digit (Unicode category Nd), which `int()` then reads: `every ５m` is five minutes there.
enum HarnessText {
    /// `str.isspace` for one scalar: Unicode white space plus the ASCII separators 0x1C–0x1F.
    static func isSpace(_ s: Unicode.Scalar) -> Bool {
        s.properties.isWhitespace || (0x1C...0x1F).contains(s.value)
    }

    /// `re`'s `\d`: a decimal digit of any script.
    static func isDigit(_ s: Unicode.Scalar) -> Bool { s.properties.numericType == .decimal }

    /// An ASCII digit (what `datetime.fromisoformat` and croniter's ranges read).
    static func isASCIIDigit(_ s: Unicode.Scalar) -> Bool { (0x30...0x39).contains(s.value) }

    /// `str.strip()`.
    static func strip(_ text: Substring.UnicodeScalarView) -> Substring.UnicodeScalarView {
        var view = text
        while let first = view.first, isSpace(first) { view.removeFirst() }
        while let last = view.last, isSpace(last) { view.removeLast() }
        return view
    }

    /// `str.strip()` on a string.
    static func strip(_ text: String) -> String { String(String.UnicodeScalarView(strip(Substring(text).unicodeScalars))) }

    /// `str.split()` without arguments: runs of white space separate, none at the ends.
    static func split(_ text: String) -> [(text: String, offset: Int)] {
        var out: [(String, Int)] = []
        var current = String.UnicodeScalarView()
        var start = 0
        for (i, s) in text.unicodeScalars.enumerated() {
            if isSpace(s) {
                if !current.isEmpty { out.append((String(current), start)) }
                current = String.UnicodeScalarView()
            } else {
                if current.isEmpty { start = i }
                current.append(s)
            }
        }
        if !current.isEmpty { out.append((String(current), start)) }
        return out
    }

    /// The value of a run of decimal digits (any script), nil when empty, not all digits, or
    /// beyond `limit`.
    static func integer(_ digits: some Sequence<Unicode.Scalar>, limit: Int = 1_000_000_000_000) -> Int? {
        var value = 0
        var any = false
        for s in digits {
            guard isDigit(s), let d = s.properties.numericValue else { return nil }
            value = value * 10 + Int(d)
            if value > limit { return nil }
            any = true
        }
        return any ? value : nil
    }

    /// True when every scalar is a digit of any script or one of `extra`.
    static func all(_ text: String, digitsOr extra: Set<Unicode.Scalar>) -> Bool {
        !text.isEmpty && text.unicodeScalars.allSatisfy { isDigit($0) || extra.contains($0) }
    }
}

/// A refusal's reason, in words (the caller adds the rule id and where).
struct Refusal: Error, Equatable {
    let why: String
    init(_ why: String) { self.why = why }
}

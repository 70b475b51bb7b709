/// Literal keys anywhere in a file's text: Markdown, shell scripts, comments, and files no
/// parser reads.
///
/// Byte-level like `TextScan`, since it runs over every scanned file. A candidate is a run
/// of token characters (letters, digits, `-`, `_`, `+`, `/`, trailing `=` padding); `=`
/// between two runs separates them, so `OPENAI_API_KEY=sk-…` yields the key. A run with a
/// vendor prefix (`sk-…`, `ghp_…`, `AKIA…`) is reported wherever it is; a generic token
/// (32+ mixed characters) only as the value of a key-like assignment (`SecretAssignment`),
/// since free text is full of commits, digests, UUIDs and base64 data. Runs longer than
/// `SecretShape.maximumLength` are not keys and are skipped unread. References are
/// skipped: whatever is inside `${…}` or `{{ … }}` on one line, and a run right after `$`.
enum SecretTextScan {
    /// The shortest run worth checking (an AWS key id: `AKIA` plus 16 characters).
    static let minimumLength = 20

    /// Every token-shaped literal in `text`, located at its first character.
    static func scan(_ text: String, file: String) -> [Diagnostic] {
        var text = text
        return text.withUTF8 { bytes in
            var out: [Diagnostic] = []
            let n = bytes.count
            var line = 1
            var i = 0
            var unclosed = UnclosedReferences()
            // The column is counted on from the last hit of the line, so a long line with
            // many hits is walked once, not once per hit.
            var counted = 0
            var column = 1
            while i < n {
                let b = bytes[i]
                if b == 0x0A {
                    line += 1
                    counted = i + 1
                    column = 1
                    i += 1
                    continue
                }
                if let end = referenceEnd(bytes, at: i, unclosed: &unclosed) {
                    i = end
                    continue
                }
                guard isTokenByte(b) else {
                    i += 1
                    continue
                }
                var end = i
                while end < n && isTokenByte(bytes[end]) { end += 1 }
                var next = end
                while next < n && bytes[next] == UInt8(ascii: "=") { next += 1 }
                // `=` followed by more token characters is an assignment, not padding.
                let padded = next < n && isTokenByte(bytes[next]) ? end : next
                let afterDollar = i > 0 && bytes[i - 1] == UInt8(ascii: "$")
                if (minimumLength...SecretShape.maximumLength).contains(padded - i) && !afterDollar,
                    let what = token(bytes, from: i, to: padded)
                {
                    for c in bytes[counted..<i] where c & 0xC0 != 0x80 { column += 1 }
                    counted = i
                    out.append(
                        Diagnostic(
                            file: file, at: Mark(line: line, column: column), rule: "policy.plaintext-secret",
                            "this looks like a literal \(what); keep secrets out of the repo and reference them (${VAR} or ${secret:NAME}), or add the file to scan.exclude if it holds no secret"
                        ))
                }
                i = next
            }
            return out
        }
    }

    /// What the run `start..<end` looks like: a prefixed key anywhere, a generic token
    /// only when assigned to a key-like name.
    static func token(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) -> String? {
        // Only a run starting like a vendor prefix can be a prefixed key; any other must be a
        // generic token (32+ bytes) assigned to a key-like name: decided before any copy.
        if !SecretShape.prefixFirstBytes.contains(bytes[start]) {
            guard end - start >= 32, SecretAssignment.isValue(bytes, at: start) else { return nil }
        }
        let run = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
        if let key = SecretShape.prefixedKey(run) { return key }
        return SecretAssignment.isValue(bytes, at: start) ? SecretShape.genericToken(run) : nil
    }

    /// Where a search for a closing `}` / `}}` already failed: up to that offset (the end
    /// of its line) none follows, so a line of ten thousand `${` is searched once, not
    /// ten thousand times.
    struct UnclosedReferences {
        var brace = 0
        var doubleBrace = 0
    }

    /// The offset just past a `${…}` or `{{ … }}` reference starting at `i`, if one closes
    /// on the same line (an unclosed one hides nothing).
    static func referenceEnd(_ bytes: UnsafeBufferPointer<UInt8>, at i: Int, unclosed: inout UnclosedReferences) -> Int? {
        guard i + 1 < bytes.count else { return nil }
        let (b, c) = (bytes[i], bytes[i + 1])
        let double: Bool
        if b == UInt8(ascii: "$") && c == UInt8(ascii: "{") {
            double = false
        } else if b == UInt8(ascii: "{") && c == UInt8(ascii: "{") {
            double = true
        } else {
            return nil
        }
        if i < (double ? unclosed.doubleBrace : unclosed.brace) { return nil }
        let brace = UInt8(ascii: "}")
        var j = i + 2
        while j < bytes.count && bytes[j] != 0x0A {
            if bytes[j] == brace && (!double || (j + 1 < bytes.count && bytes[j + 1] == brace)) { return j + (double ? 2 : 1) }
            j += 1
        }
        if double { unclosed.doubleBrace = j } else { unclosed.brace = j }
        return nil
    }

    /// Letters, digits, `-`, `_`, `+` and `/`: the characters `SecretShape` accepts in a token.
    @inline(__always) static func isTokenByte(_ b: UInt8) -> Bool {
        (b >= 48 && b <= 57) || (b >= 65 && b <= 90) || (b >= 97 && b <= 122) || b == 95 || b == 45 || b == 43 || b == 47
    }
}

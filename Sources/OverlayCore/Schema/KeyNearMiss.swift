/// Whether an unknown config key is a slip of a known one: the same key in another case or
/// with `-` for `_`, or one edit away (two for long keys), a swap of neighbours counting as one.
///
/// Stricter than `Suggest.closest` on purpose: a near miss is an error, so a key that is merely
/// similar (`tts` and `stt`) must not be one.
enum KeyNearMiss {
    /// The known key `key` most likely stands for, or nil when it is not a near miss of any.
    static func closest(_ key: String, in candidates: [String]) -> String? {
        let word = normalized(key)
        let limit = word.count < 4 ? 0 : (word.count < 9 ? 1 : 2)
        var best: (name: String, distance: Int)?
        for candidate in candidates.sorted() where candidate != key {
            let other = normalized(candidate)
            let d = other == word ? 0 : distance(word, other, limit: limit)
            if d <= limit, d < (best?.distance ?? Int.max) { best = (candidate, d) }
        }
        return best?.name
    }

    static func normalized(_ key: String) -> [Unicode.Scalar] {
        Array(key.lowercased().replacingOccurrences(of: "-", with: "_").unicodeScalars)
    }

    /// Optimal string alignment distance (Levenshtein plus adjacent swaps), or `limit + 1`
    /// as soon as the lengths alone rule a match out.
    static func distance(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar], limit: Int) -> Int {
        if abs(a.count - b.count) > limit { return limit + 1 }
        if a.isEmpty || b.isEmpty { return max(a.count, b.count) }
        var before = [Int](repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    current[j] = min(current[j], before[j - 2] + 1)
                }
            }
            (before, previous, current) = (previous, current, before)
        }
        return previous[b.count]
    }
}

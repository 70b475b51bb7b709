/// Whether an unknown config key is a slip of a known one: the same key in another case or
/// with `-` for `_`, or one edit away (two for long keys), a swap of neighbours counting as one.
///
/// Stricter than `Suggest.closest` on purpose: a near miss is an error, so a key that is merely
/// similar (`tts` and `stt`) must not be one.
struct KeyNearMiss {
    private let candidates: [(name: String, normalized: [Unicode.Scalar])]

    /// Prepares the known keys of one mapping (normalized once, in a stable order).
    init(_ names: [String]) {
        candidates = names.sorted().map { ($0, KeyNearMiss.normalized($0)) }
    }

    /// The known key `key` most likely stands for, or nil when it is not a near miss of any.
    func closest(_ key: String) -> String? {
        let word = KeyNearMiss.normalized(key)
        let limit = word.count < 4 ? 0 : (word.count < 9 ? 1 : 2)
        var best: (name: String, distance: Int)?
        for candidate in candidates where candidate.name != key && abs(candidate.normalized.count - word.count) <= limit {
            let d = candidate.normalized == word ? 0 : KeyNearMiss.distance(word, candidate.normalized, limit: limit)
            if d <= limit, d < (best?.distance ?? Int.max) { best = (candidate.name, d) }
        }
        return best?.name
    }

    /// `closest` for a one-off list.
    static func closest(_ key: String, in names: [String]) -> String? { KeyNearMiss(names).closest(key) }

    static func normalized(_ key: String) -> [Unicode.Scalar] {
        Array(key.lowercased().replacingOccurrences(of: "-", with: "_").unicodeScalars)
    }

    /// Optimal string alignment distance (Levenshtein plus adjacent swaps), computed only in the
    /// band `limit` wide around the diagonal; anything beyond `limit` comes back as `limit + 1`.
    static func distance(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar], limit: Int) -> Int {
        let over = limit + 1
        if abs(a.count - b.count) > limit { return over }
        if a.isEmpty || b.isEmpty { return max(a.count, b.count) }
        let width = b.count + 1
        var before = [Int](repeating: over, count: width)
        var previous = (0..<width).map { min($0, over) }
        var current = [Int](repeating: over, count: width)
        for i in 1...a.count {
            let low = max(1, i - limit)
            let high = min(b.count, i + limit)
            current[low - 1] = low == 1 ? min(i, over) : over
            var rowBest = current[low - 1]
            for j in low...high {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                var value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] { value = min(value, before[j - 2] + 1) }
                current[j] = min(value, over)
                rowBest = min(rowBest, current[j])
            }
            if high < b.count { current[high + 1] = over }
            if rowBest > limit { return over }
            (before, previous, current) = (previous, current, before)
        }
        return previous[b.count]
    }
}

/// JSON Schema's notion of equal values (`enum`, `const`, `uniqueItems`): numbers compare
/// by value (1 == 1.0), booleans are not numbers, and object key order does not matter.
enum JSONEquality {
    /// True when `a` and `b` are the same JSON value.
    static func equal(_ a: Value, _ b: Value) -> Bool {
        switch (a, b) {
        case (.int(let x), .double(let y)), (.double(let y), .int(let x)): return Double(x) == y
        case (.array(let x), .array(let y)): return x.count == y.count && zip(x, y).allSatisfy { equal($0, $1) }
        case (.object(let x), .object(let y)):
            let left = lastWins(x)
            let right = lastWins(y)
            guard left.count == right.count else { return false }
            return left.allSatisfy { key, value in right[key].map { equal(value, $0) } ?? false }
        default: return a == b
        }
    }

    /// A string that is equal for equal values, so duplicates can be found by hashing.
    static func canonicalKey(_ v: Value) -> String {
        switch v {
        case .null: return "n"
        case .bool(let b): return b ? "t" : "f"
        case .int(let i): return "#\(i)"
        case .bigInt(let digits): return "#\(digits)"
        case .double(let d):
            if d == d.rounded(), abs(d) < 9e18 { return "#\(Int(d))" }
            return "#\(d)"
        case .string(let s): return "s\(s.utf8.count):\(s)"
        case .array(let items): return "[" + items.map(canonicalKey).joined(separator: ",") + "]"
        case .object(let pairs):
            let entries = lastWins(pairs).sorted { $0.key < $1.key }
            return "{" + entries.map { "s\($0.key.utf8.count):\($0.key)=\(canonicalKey($0.value))" }.joined(separator: ",") + "}"
        }
    }

    private static func lastWins(_ pairs: [(String, Value)]) -> [String: Value] {
        var out: [String: Value] = [:]
        for (k, v) in pairs { out[k] = v }
        return out
    }
}

import Foundation

/// A small unified line diff for `--diff` (LCS over lines; fine for config-sized files).
public enum LineDiff {
    /// Unified diff text of `old` → `new` labelled with `path`.
    ///
    /// A `secret` file never shows a secret: new and context lines come from
    /// `redactedNew` (the same lines with each secret written `<redacted>`) and removed
    /// lines, whose old secrets overlay cannot know, print as `<redacted>` — as they do when
    /// only the old content (`oldSecret`) held a secret. Without a
    /// line-for-line redacted text the whole diff is `<redacted>`.
    public static func unified(
        old: Data?, new: Data?, path: String, secret: Bool, oldSecret: Bool = false, redactedNew: Data? = nil, context: Int = 3
    ) -> String {
        let header = "--- \(old == nil ? "/dev/null" : "a" + path)\n+++ \(new == nil ? "/dev/null" : "b" + path)\n"
        guard let a = text(old), let b = text(new) else { return header + (secret ? "<redacted>\n" : "Binary files differ\n") }
        var ops = diff(a, b)
        guard ops.contains(where: { $0.kind != " " }) else { return "" }
        if secret {
            guard let shown = redactedNew.flatMap(text), shown.count == b.count else { return header + "<redacted>\n" }
            for k in ops.indices { ops[k].line = ops[k].kind == "-" ? "<redacted>" : shown[ops[k].newIndex] }
        } else if oldSecret {
            // The secret left the file: its old lines may still hold the value.
            for k in ops.indices where ops[k].kind == "-" { ops[k].line = "<redacted>" }
        }
        return header + hunks(ops, context: context)
    }

    private struct Op {
        var kind: Character
        var line: String
        var oldIndex: Int
        var newIndex: Int
    }

    private static func text(_ data: Data?) -> [String]? {
        guard let data else { return [] }
        guard let s = String(data: data, encoding: .utf8), !s.contains("\0") else { return nil }
        var lines = s.components(separatedBy: "\n")
        if lines.last == "" { lines.removeLast() }
        return lines
    }

    private static func diff(_ a: [String], _ b: [String]) -> [Op] {
        // Trim common prefix and suffix so the quadratic LCS only sees the changed middle.
        var start = 0
        while start < a.count && start < b.count && a[start] == b[start] { start += 1 }
        var endA = a.count
        var endB = b.count
        while endA > start && endB > start && a[endA - 1] == b[endB - 1] { endA -= 1; endB -= 1 }
        let x = Array(a[start..<endA])
        let y = Array(b[start..<endB])
        var ops: [Op] = (0..<start).map { Op(kind: " ", line: a[$0], oldIndex: $0, newIndex: $0) }
        if x.count * y.count > 4_000_000 {
            ops += x.enumerated().map { Op(kind: "-", line: $1, oldIndex: start + $0, newIndex: start) }
            ops += y.enumerated().map { Op(kind: "+", line: $1, oldIndex: endA, newIndex: start + $0) }
        } else {
            var lcs = Array(repeating: Array(repeating: 0, count: y.count + 1), count: x.count + 1)
            for i in stride(from: x.count - 1, through: 0, by: -1) {
                for j in stride(from: y.count - 1, through: 0, by: -1) {
                    lcs[i][j] = x[i] == y[j] ? lcs[i + 1][j + 1] + 1 : max(lcs[i + 1][j], lcs[i][j + 1])
                }
            }
            var i = 0
            var j = 0
            while i < x.count || j < y.count {
                if i < x.count && j < y.count && x[i] == y[j] {
                    ops.append(Op(kind: " ", line: x[i], oldIndex: start + i, newIndex: start + j)); i += 1; j += 1
                } else if i < x.count && (j == y.count || lcs[i + 1][j] >= lcs[i][j + 1]) {
                    ops.append(Op(kind: "-", line: x[i], oldIndex: start + i, newIndex: start + j)); i += 1
                } else {
                    ops.append(Op(kind: "+", line: y[j], oldIndex: start + i, newIndex: start + j)); j += 1
                }
            }
        }
        for k in 0..<(a.count - endA) {
            ops.append(Op(kind: " ", line: a[endA + k], oldIndex: endA + k, newIndex: endB + k))
        }
        return ops
    }

    private static func hunks(_ ops: [Op], context: Int) -> String {
        var out = ""
        var i = 0
        while i < ops.count {
            guard let firstChange = ops[i...].firstIndex(where: { $0.kind != " " }) else { break }
            let lo = max(firstChange - context, i)
            var hi = firstChange
            var k = firstChange
            while k < ops.count {
                if ops[k].kind != " " { hi = k }
                if k - hi > 2 * context { break }
                k += 1
            }
            let end = min(hi + context + 1, ops.count)
            let slice = ops[lo..<end]
            guard let head = slice.first else { break }
            let oldCount = slice.filter { $0.kind != "+" }.count
            let newCount = slice.filter { $0.kind != "-" }.count
            let oldStart = oldCount == 0 ? head.oldIndex : head.oldIndex + 1
            let newStart = newCount == 0 ? head.newIndex : head.newIndex + 1
            out += "@@ -\(oldStart),\(oldCount) +\(newStart),\(newCount) @@\n"
            for op in slice { out += "\(op.kind)\(op.line)\n" }
            i = end
        }
        return out
    }
}

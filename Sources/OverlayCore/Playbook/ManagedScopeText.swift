import Foundation

/// The text of the harness's managed-scope files: `config.yaml` as PyYAML reads it back value
/// for value (`yaml.safe_load`, YAML 1.1), `.env` as python-dotenv reads it back.
enum ManagedScopeText {
    /// A YAML document: a comment header, then block mappings with flow lists.
    static func yaml(_ value: Value, header: [String]) -> String {
        var out = header.map { "# " + $0 + "\n" }.joined()
        guard case .object(let pairs) = value, !pairs.isEmpty else { return out + "{}\n" }
        block(pairs, indent: 0, into: &out)
        return out
    }

    private static func block(_ pairs: [(String, Value)], indent: Int, into out: inout String) {
        let pad = String(repeating: " ", count: indent)
        for (key, value) in pairs {
            if case .object(let inner) = value, !inner.isEmpty {
                out += pad + self.key(key) + ":\n"
                block(inner, indent: indent + 2, into: &out)
            } else {
                out += pad + self.key(key) + ": " + flow(value) + "\n"
            }
        }
    }

    /// A value in flow style: scalars, `[a, b]`, `{k: v}`.
    static func flow(_ value: Value) -> String {
        switch value {
        case .array(let items): return "[" + items.map(flow).joined(separator: ", ") + "]"
        case .object(let pairs): return "{" + pairs.map { key($0.0) + ": " + flow($0.1) }.joined(separator: ", ") + "}"
        default: return scalar(value)
        }
    }

    /// A scalar that YAML 1.1 resolves to the same type and value.
    static func scalar(_ value: Value) -> String {
        switch value {
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .int(let i): return String(i)
        case .bigInt(let digits): return digits
        case .double(let d):
            if d.isNaN { return ".nan" }
            if d.isInfinite { return d < 0 ? "-.inf" : ".inf" }
            // YAML 1.1 floats need a dot: Python's `1e-05` would read back as a string.
            var text = PythonFloatText.repr(d)
            if !text.contains("."), let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) { text.insert(contentsOf: ".0", at: e) }
            return text
        case .string(let s): return YAMLScalarText.doubleQuoted(s)
        case .array, .object: return flow(value)
        }
    }

    /// A key: plain when it cannot be read as anything but that string.
    static func key(_ key: String) -> String {
        let plain =
            !key.isEmpty && key.first.map { $0.isASCII && ($0.isLetter || $0 == "_") } == true
            && key.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") }
            && !["y", "n", "yes", "no", "on", "off", "true", "false", "null"].contains(key.lowercased())
        return plain ? key : YAMLScalarText.doubleQuoted(key)
    }

    /// One `.env` line's value as python-dotenv reads it back exactly, or nil when it cannot be
    /// written so: bare when plain, else single-quoted (`\\` and `\'` are its only escapes). A
    /// line break or NUL cannot be written, nor `${`: python-dotenv expands `${NAME}` in every
    /// value, quoted or not.
    static func envValue(_ value: String) -> String? {
        if value.unicodeScalars.contains(where: { $0 == "\n" || $0 == "\r" || $0 == "\0" }) || value.contains("${") { return nil }
        let bare = value.unicodeScalars.allSatisfy { u in
            u.isASCII && (CharacterSet.alphanumerics.contains(u) || "_./:@+,-=%".unicodeScalars.contains(u))
        }
        if bare { return value }
        return "'" + value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "\\'") + "'"
    }
}

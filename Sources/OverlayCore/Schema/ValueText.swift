/// Short renderings of values for messages.
enum ValueText {
    /// A value as the user would write it, truncated.
    static func show(_ v: Value) -> String {
        let text: String
        switch v {
        case .string(let s): text = "'\(s)'"
        default: text = JSONWriter.string(v)
        }
        return text.count > 60 ? String(text.prefix(57)) + "…" : text
    }

    /// "a string", "an integer", "null" …
    static func article(_ type: String) -> String {
        switch type {
        case "null": return "null"
        case "integer", "object": return "an \(type)"
        default: return "a \(type)"
        }
    }

    /// The type names of a schema's `type` keyword, as readers know them.
    static func typeWord(_ t: JSONSchema.JSONType) -> String {
        switch t {
        case .object: return "mapping"
        case .array: return "list"
        default: return t.rawValue
        }
    }

    /// "a, b or c".
    static func list(_ words: [String], _ conjunction: String = "or") -> String {
        guard words.count > 1, let last = words.last else { return words.first ?? "" }
        return words.dropLast().joined(separator: ", ") + " \(conjunction) " + last
    }
}

/// One problem found while validating, before it becomes a `Diagnostic`.
struct SchemaFinding: Sendable {
    var rule: String
    var severity: Severity = .error
    var mark: Mark
    var message: String
    /// The instance path of the node the finding is about (for picking anyOf branches).
    var path: String
    /// Set when the finding is about the schema file rather than the instance.
    var schemaFile: String?

    var isError: Bool { severity == .error }
}

/// Instance paths as users write them: `agent.max_turns`, `fallback_providers[0].model`.
enum InstancePath {
    static let root = ""

    static func child(_ path: String, key: String) -> String {
        let simple = !key.isEmpty && key.unicodeScalars.allSatisfy { $0 != "." && $0 != " " && $0 != "[" && $0 != "\"" }
        let segment = simple ? key : "[\"\(key)\"]"
        if path.isEmpty { return simple ? key : segment }
        return simple ? path + "." + key : path + segment
    }

    static func child(_ path: String, index: Int) -> String { path + "[\(index)]" }

    /// How a message names the node at `path`.
    static func name(_ path: String) -> String { path.isEmpty ? "the document" : "'\(path)'" }
}

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

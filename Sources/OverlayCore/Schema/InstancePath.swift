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

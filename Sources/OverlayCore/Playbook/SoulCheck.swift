/// Checks `SOUL.md`, the agent's identity: present, non-empty, valid UTF-8.
public struct SoulCheck: RepoCheck {
    /// Where the soul lives.
    public static let path = "SOUL.md"

    public init() {}

    public func check(_ context: ValidationContext) -> [Diagnostic] {
        guard let doc = context.repo[Self.path] else {
            if context.repo.files.escapingLinks.contains(where: { $0.path == Self.path }) { return [] }
            return [
                Diagnostic(
                    file: Self.path, at: .start, rule: "soul.missing",
                    "SOUL.md is missing; the agent needs its identity document at the repo root")
            ]
        }
        if let enc = doc.diagnostics.first(where: { $0.rule.hasSuffix(".encoding") || $0.rule.hasSuffix(".too-large") }) {
            let rule = enc.rule.hasSuffix(".encoding") ? "soul.encoding" : "soul.too-large"
            return [Diagnostic(file: Self.path, at: Mark(line: enc.line, column: enc.column), rule: rule, enc.message)]
        }
        if doc.text.allSatisfy(\.isWhitespace) {
            return [Diagnostic(file: Self.path, at: .start, rule: "soul.empty", "SOUL.md is empty; write the agent's identity and values")]
        }
        return []
    }
}

/// Checks `SOUL.md`, the agent's identity: present, non-empty, valid UTF-8, and not something
/// the harness's prompt-injection scan would refuse to load.
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
        let mapped = [".encoding": "soul.encoding", ".too-large": "soul.too-large", ".unreadable": "soul.unreadable"]
        for d in doc.diagnostics {
            guard let rule = mapped.first(where: { d.rule.hasSuffix($0.key) })?.value else { continue }
            return [Diagnostic(file: Self.path, at: Mark(line: d.line, column: d.column), rule: rule, d.message)]
        }
        if doc.text.allSatisfy(\.isWhitespace) {
            return [Diagnostic(file: Self.path, at: .start, rule: "soul.empty", "SOUL.md is empty; write the agent's identity and values")]
        }
        return SoulThreatScan.findings(doc.text).map { f in
            let words = f.excerpt.isEmpty ? "" : " ('\(f.excerpt)')"
            return Diagnostic(
                file: Self.path, at: f.mark, rule: "soul.harness-blocked",
                "the harness blocks SOUL.md: it matches its prompt-injection pattern '\(f.id)'\(words), and the agent would start with a '[BLOCKED: …]' notice instead of this identity (hermes-agent 0.19.0, tools/threat_patterns.py); reword it"
            )
        }
    }
}

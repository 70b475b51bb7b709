import Foundation

/// `providers:`: the host's providers, each checked against the banned-provider policy.
extension RenderSession {
    /// Renders `providers:` and asserts none is banned (a host-scoped error).
    mutating func renderProviders() -> [String] {
        guard let node = spec.providers else { return [] }
        guard let raw = node.scalarText ?? node.string else {
            return (node.items ?? []).compactMap { checkProvider(text($0), node: $0) }
        }
        let template: Template
        do { template = try Template.parsed(raw) } catch { return [] }
        switch template.renderValue(vars) {
        case .failure(let undefined):
            for r in undefined.references + undefined.vaulted {
                let (rule, message) = unrendered(undefined, r)
                self.error(at: scalarMark(node, line: r.line, column: r.column), rule, message)
            }
            return []
        case .success(let value):
            let names: [String]
            switch value {
            case .array(let items): names = items.map(\.renderedText)
            case .string(let s): names = s.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            default:
                error(node, "playbook.syntax", "'providers' must render to a list of provider names for host '\(host)'")
                return []
            }
            return names.compactMap { checkProvider($0, node: node) }
        }
    }

    private mutating func checkProvider(_ name: String?, node: Node) -> String? {
        guard let name else { return nil }
        if let (banned, pattern) = context.policy.bannedProvider(namedIn: name) {
            let why = banned.reason.isEmpty ? "" : " (\(banned.reason))"
            error(
                node, "policy.banned-provider",
                "host '\(host)' lists provider '\(name)', which matches banned provider '\(banned.name)' (pattern '\(pattern)')\(why), banned by \(ProviderPolicy.path):\(banned.mark.line); remove it from golden_state_providers for this host"
            )
            return nil
        }
        return name
    }
}

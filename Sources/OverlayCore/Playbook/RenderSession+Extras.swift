import Foundation

extension RenderSession {
    /// Renders `providers:` and asserts none is banned (a host-scoped error).
    mutating func renderProviders() -> [String] {
        guard let node = spec.providers else { return [] }
        guard let raw = node.scalarText ?? node.string else {
            return (node.items ?? []).compactMap { checkProvider(text($0), node: $0) }
        }
        let template: Template
        do { template = try Template(raw) } catch { return [] }
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

    /// Renders a handler; its watched paths must be managed files.
    mutating func renderHandler(_ h: GoldenStateSpec.HandlerEntry, files: [RenderedFile]) -> RenderedHandler? {
        guard let runNode = h.run, let run = text(runNode),
            checkRenderedSecret(run, node: runNode, what: "handler '\(h.name)' run", rule: "playbook.secret-reference")
        else { return nil }
        var watched: [String] = []
        for node in h.onChange {
            guard let p = path(node, what: "on_change path") else { continue }
            if !files.contains(where: { HomePath.isInside($0.dest, p) }) {
                warning(
                    node, "playbook.unknown-watch",
                    "handler '\(h.name)' watches '\(environment.shown(p))', which no file entry manages for host '\(host)'; it will never run"
                )
            }
            watched.append(p)
        }
        var timeout: Int?
        if let node = h.timeout {
            guard let seconds = duration(node, key: "handler '\(h.name)' timeout", default: 0) else { return nil }
            timeout = seconds
        }
        return RenderedHandler(name: h.name, run: run, onChange: watched, timeoutSeconds: timeout)
    }

    /// A rendered command that must not carry a secret reference (only templates resolve them).
    mutating func commandText(_ node: Node, what: String) -> String? {
        guard let rendered = text(node), checkRenderedSecret(rendered, node: node, what: what, rule: "playbook.secret-reference")
        else { return nil }
        return rendered
    }

    /// A `${secret:…}` that a host's variable brought into a command (one written in the file
    /// is reported once, by the file's own check). Returns false when there is one.
    mutating func checkRenderedSecret(_ rendered: String, node: Node, what: String, rule: String, file: String? = nil) -> Bool {
        guard SecretPlacement.first(in: node.string ?? "") == nil,
            let d = SecretPlacement.diagnostic(rendered, node: node, what: what, rule: rule, file: file ?? spec.file, host: host)
        else { return true }
        diagnostics.append(d)
        return false
    }

    /// A positive duration (`30s`, `5m`, a bare number of seconds), or `default` when absent.
    mutating func duration(_ node: Node?, key: String, default value: Int) -> Int? {
        guard let node else { return value }
        guard let s = DurationParser.seconds(node), s > 0 else {
            let got = node.scalarText.map { " (got '\($0)')" } ?? ""
            error(node, "playbook.duration", "\(key) must be a positive duration: \(DurationParser.expected)\(got)")
            return nil
        }
        return s
    }
}

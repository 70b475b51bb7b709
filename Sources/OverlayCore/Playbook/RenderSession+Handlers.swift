import Foundation

/// `handlers:` and the small renderings the other sections share: a command's text, a
/// rendered secret's check, a duration.
extension RenderSession {
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

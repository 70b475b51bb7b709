import Foundation

extension RenderSession {
    /// The managed `.env`: its text, the text with secret values written `<redacted>` (nil
    /// without secrets), and whether it holds one. Nil when a line cannot be written.
    mutating func renderManagedEnv(_ pairs: [(name: Node, value: Node)]) -> (text: String, redacted: String?, secret: Bool)? {
        var lines = [
            "# The harness's managed environment for host \(host): written by overlay from playbooks/site.yaml (managed.env).",
            "# Its variables win over the agent's own .env. Do not edit: the next apply puts it back.",
        ]
        var redacted = lines
        var secret = false
        var ok = true
        for (nameNode, valueNode) in pairs {
            let name = nameNode.value.keyString
            guard name.range(of: #"^[A-Za-z_][A-Za-z0-9_]*$"#, options: .regularExpression) != nil else {
                error(
                    nameNode, "managed.env-name",
                    "'\(name)' is not an environment variable name; use letters, digits and _, not starting with a digit")
                ok = false
                continue
            }
            guard let raw = valueNode.scalarText, let rendered = renderText(raw, node: valueNode) else {
                if valueNode.scalarText == nil {
                    error(valueNode, "playbook.syntax", "managed.env \(name) must be a string, found a \(valueNode.typeName)")
                }
                ok = false
                continue
            }
            guard let value = resolveEnvSecrets(rendered, name: name, node: valueNode) else {
                ok = false
                continue
            }
            let fromSecret = !SecretResolver.references(in: rendered).isEmpty
            // Validation sees `${secret:…}` itself: judge the text around it.
            let judged =
                environment.forApply
                ? value : value.replacingOccurrences(of: #"\$\{secret:[^}]*\}"#, with: "s", options: .regularExpression)
            guard ManagedScopeText.envValue(judged) != nil,
                let line = ManagedScopeText.envValue(value) ?? (environment.forApply ? nil : value)
            else {
                let origin = fromSecret && environment.forApply ? " (its secret, not shown, brings it)" : ""
                error(
                    valueNode, "managed.env-value",
                    "the value of \(name) for host '\(host)' holds a line break, a NUL or '${'\(origin), which a .env line cannot carry as it is (python-dotenv expands ${NAME} even in quotes); change the value"
                )
                ok = false
                continue
            }
            lines.append("\(name)=\(line)")
            redacted.append(fromSecret ? "\(name)=<redacted>" : "\(name)=\(line)")
            secret = secret || fromSecret
        }
        guard ok else { return nil }
        let text = lines.joined(separator: "\n") + "\n"
        return (text, secret ? redacted.joined(separator: "\n") + "\n" : nil, secret)
    }

    /// `${secret:NAME}` in an env value: resolved when applying; bad names, missing and unreadable
    /// secrets are errors at the value.
    private mutating func resolveEnvSecrets(_ text: String, name: String, node: Node) -> String? {
        let refs = SecretResolver.references(in: text)
        var ok = true
        for r in refs where !SecretResolver.isValidName(r.name) {
            error(node, "playbook.secret-name", "secret name '\(r.name)' is invalid; use letters, digits, '_', '-' or '.'")
            ok = false
        }
        guard ok else { return nil }
        guard environment.forApply, !refs.isEmpty else { return text }
        let resolver = SecretResolver(directory: environment.secretsDir, environment: environment.environment)
        let result = resolver.resolve(text)
        for missing in Set(result.missing).sorted() {
            error(
                node, "playbook.missing-secret",
                "secret '\(missing)' not found for host '\(host)': put it in \(environment.secretsDir)/\(missing) or set OVERLAY_SECRET_\(missing.uppercased())"
            )
        }
        for (secret, reason) in result.unreadable {
            error(
                node, "playbook.unreadable-secret",
                "secret '\(secret)' cannot be read for host '\(host)': \(environment.secretsDir)/\(secret) \(reason)"
                    + (ErrnoText.isShortage(reason)
                        ? "" : "; make it a regular file this user can read (mode 0600) or set OVERLAY_SECRET_\(secret.uppercased())")
            )
        }
        return result.missing.isEmpty && result.unreadable.isEmpty ? result.text : nil
    }
}

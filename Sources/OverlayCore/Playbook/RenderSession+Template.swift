import Foundation

extension RenderSession {
    /// A rendered template file.
    struct RenderedTemplate {
        var text: String
        var hasSecret: Bool
        /// The text with every secret reference written `<redacted>` (nil without secrets).
        var redacted: String?
    }

    /// Renders a `template:` source for this host, resolving secrets when applying.
    mutating func renderTemplateFile(_ tplPath: String, node: Node, dest: String) -> RenderedTemplate? {
        if let odd = context.repo.files.oddEntry(tplPath) {
            error(node, "playbook.missing-source", "template '\(tplPath)' is \(odd), not a regular file; replace it with a regular file")
            return nil
        }
        guard let doc = context.repo[tplPath] else {
            let hint = Suggest.closest(tplPath, in: context.repo.files.paths).map { " — did you mean '\($0)'?" } ?? ""
            error(node, "playbook.missing-source", "template '\(tplPath)' does not exist in the repo\(hint)")
            return nil
        }
        // A template that could not be read (too large, not UTF-8) is reported by the document
        // check; rendering it would write an empty file.
        if let problem = doc.diagnostics.first(where: { $0.severity == .error }) {
            error(node, "playbook.missing-source", "template '\(tplPath)' cannot be rendered: \(problem.message)")
            return nil
        }
        let template: Template
        do { template = try Template.parsed(doc.text) } catch {
            if case .syntax(let m, let line, let col) = error {
                self.error(at: Mark(line: line + 1, column: col + 1), "playbook.template-syntax", m, file: tplPath)
            }
            return nil
        }
        var text: String
        switch template.render(vars) {
        case .success(let s): text = s
        case .failure(let undefined):
            for r in undefined.references + undefined.vaulted {
                let (rule, message) = unrendered(undefined, r)
                error(at: Mark(line: r.line + 1, column: r.column + 1), rule, message, file: tplPath)
            }
            return nil
        }
        let refs = SecretResolver.references(in: text)
        let redactedText = refs.reduce(text) { $0.replacingOccurrences(of: "${secret:\($1.name)}", with: "<redacted>") }
        for r in refs where !SecretResolver.isValidName(r.name) {
            error(
                at: markInText(doc.text, name: "${secret:\(r.name)}"), "playbook.secret-name",
                "secret name '\(r.name)' is invalid; use letters, digits, '_', '-' or '.'", file: tplPath)
        }
        // The output as rendered for this host, secret references still unresolved, parsed and
        // scanned for the policy — in every render, not only validation's: a converge renders
        // each host once, and this is the check that then stands between a host var and a
        // banned provider or a remote endpoint going live.
        let parses = checkRenderedOutput(text, tplPath: tplPath, dest: dest)
        if environment.forApply && !refs.isEmpty {
            let resolver = SecretResolver(directory: environment.secretsDir, environment: environment.environment)
            let result = resolver.resolve(text)
            for name in Set(result.missing).sorted() where SecretResolver.isValidName(name) {
                let message =
                    "secret '\(name)' not found for host '\(host)': put it in \(environment.secretsDir)/\(name) or set OVERLAY_SECRET_\(name.uppercased())"
                error(at: markInText(doc.text, name: "${secret:\(name)}"), "playbook.missing-secret", message, file: tplPath)
            }
            for (name, reason) in result.unreadable {
                let file = environment.secretsDir + "/" + name
                let what = reason.hasPrefix("is ") ? "\(file) \(reason)" : "\(file): \(reason)"
                error(
                    at: markInText(doc.text, name: "${secret:\(name)}"), "playbook.unreadable-secret",
                    "secret '\(name)' cannot be read for host '\(host)': \(what)"
                        + (ErrnoText.isShortage(reason)
                            ? "" : "; make it a regular file this user can read (mode 0600) or set OVERLAY_SECRET_\(name.uppercased())"),
                    file: tplPath)
            }
            let unresolved = text
            text = result.text
            // Only a text that parsed before its secrets can be blamed on them.
            if parses, checkOutputWithSecrets(text, tplPath: tplPath, dest: dest) {
                let values = result.used.compactMap { name in resolver.value(of: name).map { (name, $0) } }
                checkResolvedPolicy(
                    text, unresolved: unresolved, redacted: redactedText, secrets: values, tplPath: tplPath, dest: dest, source: doc.text)
            }
        }
        return RenderedTemplate(text: text, hasSecret: !refs.isEmpty, redacted: refs.isEmpty ? nil : redactedText)
    }

    /// Parses a rendered YAML/JSON template (before secrets) and checks it like config. False
    /// when it does not parse.
    @discardableResult
    mutating func checkRenderedOutput(_ text: String, tplPath: String, dest: String) -> Bool {
        let format = Document.format(of: dest)
        guard format != .text else { return true }
        let doc = DocumentLoader().parse(data: Data(text.utf8), path: tplPath, format: format)
        let errors = doc.diagnostics.filter { $0.severity == .error }
        for d in errors {
            var d = d
            d.rule = "playbook.template-output"
            d.message = "rendered for host '\(host)': \(d.message)"
            diagnostics.append(d)
        }
        if let root = doc.root {
            diagnostics += PolicyTreeScan(policy: context.policy, file: tplPath, hostNote: " (rendered for host '\(host)')")
                .scan(root)
        }
        return errors.isEmpty
    }

    /// Re-parses a YAML/JSON template after its secrets were filled in: a secret holding
    /// `"`, `: ` or `{` can break an unquoted scalar. The message never shows the text.
    /// Returns false when it does not parse.
    @discardableResult
    mutating func checkOutputWithSecrets(_ text: String, tplPath: String, dest: String) -> Bool {
        let format = Document.format(of: dest)
        guard format != .text else { return true }
        let doc = DocumentLoader().parse(data: Data(text.utf8), path: tplPath, format: format)
        guard let bad = doc.diagnostics.first(where: { $0.severity == .error }) else { return true }
        error(
            at: Mark(line: bad.line, column: 1), "playbook.template-output",
            "with its secrets filled in for host '\(host)', '\(dest)' no longer parses as \(format.rawValue.uppercased()) (line \(bad.line)); a secret value needs quoting — put the ${secret:…} reference inside quotes in the template",
            file: tplPath)
        return false
    }

    /// The mark of the first occurrence of `name` in a text (for secret references).
    func markInText(_ text: String, name: String) -> Mark {
        guard let r = text.range(of: name) else { return .start }
        let before = text[..<r.lowerBound]
        let line = before.reduce(1) { $0 + ($1 == "\n" ? 1 : 0) }
        let lineStart = before.lastIndex(of: "\n").map { text.index(after: $0) } ?? text.startIndex
        return Mark(line: line, column: text.distance(from: lineStart, to: r.lowerBound) + 1)
    }
}

extension JobPlaybookParse {
    /// The playbook with the host's variables substituted into every `run` and `env` value,
    /// or every undefined or malformed reference, located in the playbook.
    public func rendered(host: String, vars: Value) -> Result<JobPlaybook, RenderError> {
        var problems: [Diagnostic] = []
        var playbook = self.playbook
        for index in playbook.steps.indices {
            var step = playbook.steps[index]
            if case .run(let command) = step.action {
                step.action = .run(render(command, node: runNodes[step.name], host: host, vars: vars, into: &problems))
            }
            for i in step.env.indices {
                let node = envNodes[step.name]?[step.env[i].name]
                step.env[i].value = render(step.env[i].value, node: node, host: host, vars: vars, into: &problems)
            }
            playbook.steps[index] = step
        }
        return problems.isEmpty ? .success(playbook) : .failure(RenderError(diagnostics: problems))
    }

    private func render(_ text: String, node: Node?, host: String, vars: Value, into problems: inout [Diagnostic]) -> String {
        let at = node ?? Node.scalar(text)
        let file = playbook.file
        let template: Template
        do { template = try Template(text) } catch {
            if case .syntax(let message, let line, let column) = error {
                problems.append(
                    Diagnostic(file: file, at: Self.mark(in: at, line: line, column: column), rule: "playbook.template-syntax", message))
            }
            return text
        }
        switch template.render(vars) {
        case .success(let s): return s
        case .failure(let undefined):
            for r in undefined.references {
                problems.append(
                    Diagnostic(
                        file: file, at: Self.mark(in: at, line: r.line, column: r.column), rule: "playbook.undefined-variable",
                        "variable '\(r.name)' is undefined for host '\(host)'; define it in inventory (group_vars/ or host_vars/\(host).yml)"
                    ))
            }
            return text
        }
    }

    /// The mark of a template reference inside a scalar node (0-based line and column in the text).
    static func mark(in node: Node, line: Int, column: Int) -> Mark {
        var quoted = 0
        if case .scalar(_, let style) = node.kind, style == .singleQuoted || style == .doubleQuoted { quoted = 1 }
        if line == 0 { return Mark(line: node.mark.line, column: node.mark.column + quoted + column) }
        return Mark(line: node.mark.line + line, column: column + 1)
    }
}

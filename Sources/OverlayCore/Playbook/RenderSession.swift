import Foundation

/// One host's render: the variables, the environment and the problems found so far.
struct RenderSession {
    let renderer: GoldenStateRenderer
    let host: String
    let environment: RenderEnvironment
    let vars: Value
    var diagnostics: [Diagnostic] = []
    /// Destinations whose source could not be read (already an error): what depends on their
    /// content is not judged, so a shortage of descriptors does not also read as "not set".
    var unreadableDests: Set<String> = []

    var spec: GoldenStateSpec { renderer.spec }
    var context: ValidationContext { renderer.context }

    init(renderer: GoldenStateRenderer, host: String, environment: RenderEnvironment) {
        self.renderer = renderer
        self.host = host
        self.environment = environment
        var v = renderer.context.inventory?.vars(for: host) ?? .object([("inventory_hostname", .string(host))])
        if v["overlay_home"] == nil, case .object(var pairs) = v {
            pairs.append(("overlay_home", .string(environment.home)))
            v = .object(pairs)
        }
        // `{{ managed_dir }}`: the harness's managed scope, as `managed:` places it.
        if v["managed_dir"] == nil, case .object(var pairs) = v {
            pairs.append(("managed_dir", .string(environment.managedDir ?? Self.defaultManagedDir)))
            v = .object(pairs)
        }
        self.vars = v
    }

    mutating func run() -> RenderedState? {
        // A host only a scheduled job playbook targets gets its schedules' cron entries alone.
        guard renderer.isSiteHost(host) else {
            let cronJobs = renderJobSchedules()
            guard diagnostics.errorCount == 0 else { return nil }
            return RenderedState(
                host: host, homes: [:], protected: [], files: [], handlers: [], cronJobs: cronJobs, deadman: nil, providers: [])
        }
        var homes: [String: String] = [:]
        for (name, node) in spec.homes {
            guard let path = path(node, what: "home '\(name)'") else { continue }
            homes[name] = path
            checkHome(path, name: name, node: node)
        }
        if spec.homes.isEmpty {
            error(
                spec.hosts ?? Node.scalar(""), "playbook.syntax", "the golden state declares no 'homes'; every file dest must be inside one"
            )
        }
        let protected = spec.protected.compactMap { path($0, what: "protected path") }
        var files: [RenderedFile] = []
        for entry in spec.files {
            files += renderFile(entry, homes: homes, protected: protected)
        }
        let managedScope = renderManaged(homes: &homes, files: &files, protected: protected)
        checkDuplicateDests(files)
        let providers = renderProviders()
        let handlers = spec.handlers.compactMap { renderHandler($0, files: files) }
        let deadman = renderDeadman()
        let cronJobs = renderCronJobs() + renderJobSchedules()
        let agentJobs = renderAgentJobs(homes: homes, files: files)
        guard diagnostics.errorCount == 0 else { return nil }
        var state = RenderedState(
            host: host, homes: homes, protected: protected, files: files, handlers: handlers, cronJobs: cronJobs,
            deadman: deadman, providers: providers)
        state.agentJobs = agentJobs
        state.managedScope = managedScope
        return state
    }

    // MARK: - Text and paths

    /// Renders a scalar node's `{{ }}` references with the host's vars.
    mutating func text(_ node: Node, file: String? = nil) -> String? {
        guard let raw = node.scalarText ?? node.string else {
            error(node, "playbook.syntax", "expected a string here, found a \(node.typeName)", file: file)
            return nil
        }
        return renderText(raw, node: node, file: file)
    }

    mutating func renderText(_ raw: String, node: Node, file: String? = nil) -> String? {
        let template: Template
        do { template = try Template.parsed(raw) } catch {
            if case .syntax(let m, let line, let col) = error {
                self.error(at: scalarMark(node, line: line, column: col), "playbook.template-syntax", m, file: file)
            }
            return nil
        }
        switch template.render(vars) {
        case .success(let s): return s
        case .failure(let undefined):
            for r in undefined.references + undefined.vaulted {
                let (rule, message) = unrendered(undefined, r)
                self.error(at: scalarMark(node, line: r.line, column: r.column), rule, message, file: file)
            }
            return nil
        }
    }

    /// The rule and message for a reference a render failed on: undefined, or a vault value.
    func unrendered(_ failure: UndefinedVariables, _ r: Template.Reference) -> (String, String) {
        if let vault = failure.vaultMessage(r, host: host) { return ("playbook.vault-value", vault) }
        return ("playbook.undefined-variable", undefinedMessage(r.name))
    }

    func undefinedMessage(_ name: String) -> String {
        "variable '\(name)' is undefined for host '\(host)'; define it in inventory (group_vars/ or host_vars/\(host).yml)"
    }

    /// The mark of a template reference inside a scalar node.
    func scalarMark(_ node: Node, line: Int, column: Int) -> Mark {
        var quoted = 0
        if case .scalar(_, let style) = node.kind, style == .singleQuoted || style == .doubleQuoted { quoted = 1 }
        if line == 0 { return Mark(line: node.mark.line, column: node.mark.column + quoted + column) }
        return Mark(line: node.mark.line + line, column: column + 1)
    }

    /// Renders and resolves a path node to an absolute, normalised path.
    mutating func path(_ node: Node, what: String) -> String? {
        guard let rendered = text(node) else { return nil }
        if HomePath.hasParentComponent(rendered) {
            error(node, "playbook.dest-outside-home", "\(what) '\(rendered)' contains '..' (host '\(host)'); write the path without '..'")
            return nil
        }
        // An invisible byte-order mark (pasted from an editor) makes a second name that looks
        // like the first; Foundation's path functions drop a leading one, so a generation and
        // its rollback would confuse the two files. Refused before anything is written.
        if rendered.unicodeScalars.contains("\u{FEFF}") {
            error(
                node, "playbook.path",
                "\(what) '\(rendered.replacingOccurrences(of: "\u{FEFF}", with: "<U+FEFF>"))' holds an invisible byte-order mark (U+FEFF) (host '\(host)'); delete it from the path")
            return nil
        }
        guard let resolved = HomePath.resolve(rendered, home: environment.home) else {
            error(node, "playbook.path", "\(what) '\(rendered)' is not absolute (host '\(host)'); start it with / or ~/")
            return nil
        }
        return resolved
    }

    // MARK: - Diagnostics

    mutating func error(_ node: Node, _ rule: String, _ message: String, file: String? = nil) {
        error(at: node.mark, rule, message, file: file)
    }

    mutating func error(at mark: Mark, _ rule: String, _ message: String, file: String? = nil) {
        diagnostics.append(Diagnostic(file: file ?? spec.file, at: mark, rule: rule, message))
    }

    mutating func warning(_ node: Node, _ rule: String, _ message: String) {
        diagnostics.append(Diagnostic(file: spec.file, at: node.mark, .warning, rule: rule, message))
    }
}

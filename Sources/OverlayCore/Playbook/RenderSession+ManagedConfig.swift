import Foundation

extension RenderSession {
    /// `managed.config` rendered for this host: the value written, and the same tree as nodes at
    /// the places of site.yaml they came from (for the schema and policy checks). `templated`
    /// holds the marks of scalars that held a `{{ }}`.
    struct ManagedConfig {
        var value: Value
        var node: Node
        var templated: Set<Mark>
    }

    /// Renders `managed.config`: scalars holding `{{ }}` are rendered (one whole `{{ x }}` keeps
    /// x's type), the rest are read as written. Nil when a reference is undefined.
    mutating func renderManagedConfig(_ config: Node) -> ManagedConfig? {
        var templated: Set<Mark> = []
        let before = diagnostics.errorCount
        let node = renderedNode(config, templated: &templated, depth: 0)
        guard diagnostics.errorCount == before else { return nil }
        return ManagedConfig(value: node.value, node: node, templated: templated)
    }

    private mutating func renderedNode(_ node: Node, templated: inout Set<Mark>, depth: Int) -> Node {
        guard depth < 64 else { return node }
        switch node.kind {
        case .mapping(let pairs):
            let rendered = pairs.map { Node.Pair(key: $0.key, value: renderedNode($0.value, templated: &templated, depth: depth + 1)) }
            return Node(.mapping(rendered), mark: node.mark, tagCode: node.tagCode)
        case .sequence(let items):
            return Node(.sequence(items.map { renderedNode($0, templated: &templated, depth: depth + 1) }), mark: node.mark, tagCode: node.tagCode)
        case .scalar(let raw, _):
            guard !secretInManagedConfig(raw, node: node), raw.contains("{{"), let template = try? Template(raw) else { return node }
            switch template.renderValue(vars) {
            case .success(let value):
                templated.insert(node.mark)
                if case .string(let s) = value, secretInManagedConfig(s, node: node) { return node }
                return Self.node(value, at: node.mark)
            case .failure(let undefined):
                for r in undefined.references + undefined.vaulted {
                    let (rule, message) = unrendered(undefined, r)
                    error(at: scalarMark(node, line: r.line, column: r.column), rule, message)
                }
                return node
            }
        }
    }

    /// A `${secret:…}` in `managed.config` (as written, or brought by a variable) is an error:
    /// that file is world-readable. True when there is one.
    private mutating func secretInManagedConfig(_ text: String, node: Node) -> Bool {
        guard SecretPlacement.first(in: text) != nil else { return false }
        error(
            node, "playbook.secret-reference",
            "managed.config cannot hold a ${secret:…} (host '\(host)'): the managed config.yaml is readable by every user; put the secret under managed.env (written 0640) and write ${NAME} here — the harness fills it in from the managed .env"
        )
        return true
    }

    /// A node standing for `value` at `mark` (strings double-quoted, so they stay strings).
    static func node(_ value: Value, at mark: Mark) -> Node {
        switch value {
        case .object(let pairs):
            return Node(
                .mapping(pairs.map { Node.Pair(key: Node(.scalar($0.0, .doubleQuoted), mark: mark), value: node($0.1, at: mark)) }),
                mark: mark)
        case .array(let items): return Node(.sequence(items.map { node($0, at: mark) }), mark: mark)
        case .string(let s): return Node(.scalar(s, .doubleQuoted), mark: mark)
        default: return Node(.scalar(ManagedScopeText.scalar(value), .plain), mark: mark)
        }
    }

    /// The schema, the harness's key catalog and the provider policy on `managed.config`, and a
    /// warning for each leaf the host's `config.yaml` sets to another value (the managed one wins).
    mutating func checkManagedConfig(_ config: ManagedConfig, user: Value?, userFile: String) {
        if let checks = renderer.managedChecks {
            diagnostics += SchemaValidator.validate(value: config.node, schema: checks.schema, file: spec.file)
            diagnostics += HarnessKeyCheck(catalog: checks.catalog, schema: checks.schema, file: spec.file).check(config.node)
        }
        // Names and secrets written literally are found by the repo-wide scans of site.yaml.
        let always: Set<String> = ["policy.remote-base-url", "policy.unknown-tts-provider", "policy.unknown-stt-provider"]
        let scan = PolicyTreeScan(policy: context.policy, file: spec.file, hostNote: " (managed scope of host '\(host)')")
        for d in scan.scan(config.node) where always.contains(d.rule) || config.templated.contains(Mark(line: d.line, column: d.column)) {
            diagnostics.append(d)
        }
        overriddenLeaves(config.node, path: [], user: user, userFile: userFile)
    }

    private mutating func overriddenLeaves(_ node: Node, path: [String], user: Value?, userFile: String) {
        if let pairs = node.pairs, !pairs.isEmpty {
            for pair in pairs { overriddenLeaves(pair.value, path: path + [pair.key.value.keyString], user: user, userFile: userFile) }
            return
        }
        guard let theirs = ManagedKeys.lookup(path, in: user), theirs != node.value else { return }
        let key = path.joined(separator: ".")
        warning(
            node, "managed.overrides-user-config",
            "\(key) is \(ManagedScopeText.flow(node.value)) in the managed scope and \(ManagedScopeText.flow(theirs)) in \(environment.shown(userFile)) (host '\(host)'): the harness uses the managed value — remove \(key) from the user config, or make the two equal"
        )
    }

    /// The policy's keys and `managed.keys` with their values from the host's `config.yaml`. A
    /// listed key that file does not set (and `managed.config` does not give) is an error —
    /// unless the file could not be read (`judged` false), which is its own error already.
    mutating func pinnedKeys(_ managed: ManagedSpec, user: Value?, explicit: Value, userFile: String, judged: Bool = true) -> Value {
        var tree: Value = .object([])
        for path in ManagedKeys.policyKeys(in: user) {
            if let value = ManagedKeys.lookup(path, in: user) { tree = ManagedKeys.setting(value, at: path[...], in: tree) }
        }
        for node in managed.keys {
            guard let text = text(node) else { continue }
            guard let path = ManagedKeys.path(text) else {
                error(node, "playbook.syntax", "managed key '\(text)' is not a dotted config key such as agent.max_turns")
                continue
            }
            if let value = ManagedKeys.lookup(path, in: user) {
                tree = ManagedKeys.setting(value, at: path[...], in: tree)
            } else if judged, ManagedKeys.lookup(path, in: explicit) == nil {
                error(
                    node, "managed.key-not-set",
                    "managed key '\(text)' is not set in \(environment.shown(userFile)) for host '\(host)', so there is no value to pin; set it there, or give its value under managed.config"
                )
            }
        }
        return tree
    }
}

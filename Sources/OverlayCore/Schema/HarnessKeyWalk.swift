/// One pass of `HarnessKeyCheck` over a config: the catalog path (`agent.max_turns`,
/// `providers.*.base_url`) and the schemas that apply travel down together.
struct HarnessKeyWalk {
    let check: HarnessKeyCheck
    /// The file's `_config_version`; nil means current (the harness treats an unversioned file so).
    let version: Int?

    private var maxDepth: Int { DocumentLoader().maxDepth }

    func visit(_ node: Node, path: String, shown: String, schemas: [JSONSchema], depth: Int, into out: inout [Diagnostic]) {
        guard depth <= maxDepth else { return }
        let view = SchemaKeyView(schemas, in: check.schema)
        switch node.kind {
        case .scalar: return
        case .sequence(let items):
            for (index, item) in items.enumerated() {
                visit(
                    item, path: path + "[]", shown: InstancePath.child(shown, index: index), schemas: view.items, depth: depth + 1,
                    into: &out)
            }
        case .mapping(let pairs):
            let own = check.catalog.children(of: path)
            let names = Array(Set(own.keys).union(view.names))
            let free = view.namesAreFree || check.catalog.key(path)?.isOpen == true
            let checked = !free && !view.closed && !names.isEmpty
            var nearMiss: KeyNearMiss?
            for pair in pairs {
                let key = pair.key.value.keyString
                let childShown = InstancePath.child(shown, key: key)
                if checked {
                    if let known = own[key] {
                        removal(known, pair.key, childShown).map { out.append($0) }
                    } else if !view.knows(key) {
                        let candidates = nearMiss ?? KeyNearMiss(names)
                        nearMiss = candidates
                        out.append(unknown(pair.key, key, near: candidates.closest(key), parent: shown, childShown: childShown))
                        continue
                    }
                }
                let childPath = free ? join(path, "*") : join(path, key)
                visit(pair.value, path: childPath, shown: childShown, schemas: view.children(key), depth: depth + 1, into: &out)
            }
        }
    }

    private func join(_ path: String, _ key: String) -> String { path.isEmpty ? key : path + "." + key }

    private func unknown(_ keyNode: Node, _ key: String, near: String?, parent: String, childShown: String) -> Diagnostic {
        let place = parent.isEmpty ? "unknown top-level key '\(key)'" : "unknown key '\(key)' in '\(parent)' (\(childShown))"
        if let near {
            return Diagnostic(
                file: check.file, at: keyNode.mark, .error, rule: "schema.unknown-key",
                "\(place); did you mean '\(near)'? The harness ignores keys it does not know, so this setting would have no effect")
        }
        return Diagnostic(
            file: check.file, at: keyNode.mark, .warning, rule: "schema.unknown-key",
            "\(place): the harness does not read it\(releases); remove it, or keep it if a plugin reads it")
    }

    private var releases: String {
        guard let newest = check.catalog.newestVersion else { return "" }
        return " (overlay knows the harness's keys up to config version \(newest))"
    }

    private func removal(_ key: HarnessKeyCatalog.Key, _ keyNode: Node, _ shown: String) -> Diagnostic? {
        guard let removed = key.removed else { return nil }
        let fileVersion = version ?? check.catalog.newestVersion ?? removed
        guard fileVersion >= removed else { return nil }
        let because =
            version.map { "this file is at version \($0)" }
            ?? "this file has no _config_version, so the harness reads it as current"
        return Diagnostic(
            file: check.file, at: keyNode.mark, .warning, rule: "schema.removed-key",
            "'\(shown)' was removed from the harness in config version \(removed) (\(because)); the harness ignores it — remove it")
    }
}

/// Mapping keywords: properties, patternProperties, additionalProperties, required, …
extension SchemaWalk {
    func checkObject(
        _ node: Node, _ pairs: [Node.Pair], _ rules: JSONSchema.Rules, path: String, depth: Int, into out: inout [SchemaFinding]
    ) {
        var present = Set<String>()
        for pair in pairs {
            let key = pair.key.value.keyString
            present.insert(key)
            let childPath = InstancePath.child(path, key: key)
            var matched = false
            if let property = rules.properties[key] {
                matched = true
                check(pair.value, property, path: childPath, depth: depth + 1, hops: 0, into: &out)
                if let note = deprecation(property) {
                    out.append(
                        SchemaFinding(
                            rule: "schema.deprecated", severity: .warning, mark: pair.key.mark,
                            message: "'\(childPath)' is deprecated\(note.isEmpty ? "; remove it" : ": \(note)")", path: childPath))
                }
            }
            for (pattern, schema) in rules.patternProperties where pattern.matches(key) {
                matched = true
                check(pair.value, schema, path: childPath, depth: depth + 1, hops: 0, into: &out)
            }
            if let names = rules.propertyNames {
                let keyNode = Node(.scalar(key, .doubleQuoted), mark: pair.key.mark)
                check(keyNode, names, path: childPath, depth: depth + 1, hops: 0, into: &out)
            }
            guard !matched, let additional = additionalSchema(rules) else { continue }
            if additional.rules.rejectsAll && additional.rules.ref == nil {
                out.append(unknownKey(pair.key, key, rules, path: path, childPath: childPath))
            } else {
                check(pair.value, additional, path: childPath, depth: depth + 1, hops: 0, into: &out)
            }
        }
        let name = path.isEmpty ? "the document" : "'\(path)'"
        for key in rules.required where !present.contains(key) {
            out.append(
                SchemaFinding(
                    rule: "schema.required", mark: node.mark,
                    message: "\(name) is missing the required key '\(key)'; add it", path: path))
        }
        for (trigger, needed) in rules.dependentRequired where present.contains(trigger) {
            for key in needed where !present.contains(key) {
                out.append(
                    SchemaFinding(
                        rule: "schema.required", mark: node.mark,
                        message: "\(name) has '\(trigger)', which requires '\(key)' too; add '\(key)' or remove '\(trigger)'", path: path))
            }
        }
        if let min = rules.minProperties, pairs.count < min {
            out.append(range(node, path, "\(name) has \(pairs.count) keys; it must have at least \(min)"))
        }
        if let max = rules.maxProperties, pairs.count > max {
            out.append(range(node, path, "\(name) has \(pairs.count) keys; it must have at most \(max)"))
        }
    }

    private func additionalSchema(_ rules: JSONSchema.Rules) -> JSONSchema? { rules.additionalProperties }

    /// The deprecation note of a property's schema (following one `$ref`), or nil.
    private func deprecation(_ schema: JSONSchema) -> String? {
        if schema.isDeprecated { return schema.summary ?? "" }
        if let ref = schema.rules.ref, let target = validator.schema.resolve(ref), target.isDeprecated {
            return schema.summary ?? target.summary ?? ""
        }
        return nil
    }

    private func unknownKey(_ keyNode: Node, _ key: String, _ rules: JSONSchema.Rules, path: String, childPath: String) -> SchemaFinding {
        let place = path.isEmpty ? "unknown top-level key '\(key)'" : "unknown key '\(key)' in '\(path)' (\(childPath))"
        var message = place
        if let near = Suggest.closest(key, in: rules.propertyOrder) {
            message += "; did you mean '\(near)'?"
        } else if rules.propertyOrder.isEmpty {
            message += "; this mapping takes no keys here — remove it"
        } else if rules.propertyOrder.count <= 12 {
            message += "; remove it or use one of: \(rules.propertyOrder.joined(separator: ", "))"
        } else {
            message += "; remove it or check the spelling against the schema"
        }
        return SchemaFinding(rule: "schema.unknown-key", mark: keyNode.mark, message: message, path: childPath)
    }
}

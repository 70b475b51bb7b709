/// One validation pass: the recursive walk over node and schema.
struct SchemaWalk {
    let validator: SchemaValidator

    /// Applies `schema` to `node`, appending findings.
    func check(_ node: Node, _ schema: JSONSchema, path: String, depth: Int, hops: Int, into out: inout [SchemaFinding]) {
        guard depth <= validator.maxDepth else { return }
        guard hops <= validator.maxSchemaHops else {
            out.append(
                SchemaFinding(
                    rule: "schema.invalid-schema", mark: schema.mark,
                    message:
                        "schema references loop back to themselves without descending into the document (at \(schema.pointer)); break the $ref cycle",
                    path: path, schemaFile: validator.schema.file))
            return
        }
        let rules = schema.rules
        if rules.rejectsAll {
            out.append(
                SchemaFinding(
                    rule: "schema.type", mark: node.mark,
                    message: "\(InstancePath.name(path)) is not allowed here (the schema is false); remove it", path: path))
            return
        }
        let instance = Instance(node)
        if let types = rules.types, !instance.matches(types) {
            out.append(rules.errorMessage.map { customFinding(node, path, $0) } ?? typeFinding(node, instance, expected: types, path: path))
            return
        }
        if let ref = rules.ref, let target = validator.schema.resolve(ref) {
            check(node, target, path: path, depth: depth, hops: hops + 1, into: &out)
        }
        checkValue(node, instance, rules, path: path, into: &out)
        switch node.kind {
        case .mapping(let pairs): checkObject(node, pairs, rules, path: path, depth: depth, into: &out)
        case .sequence(let items): checkArray(node, items, rules, path: path, depth: depth, into: &out)
        case .scalar: checkScalar(node, instance, rules, path: path, into: &out)
        }
        checkCombinators(node, rules, path: path, depth: depth, hops: hops, into: &out)
    }

    /// `schema.type` in the schema's own words (`errorMessage`), after the value as written.
    func customFinding(_ node: Node, _ path: String, _ message: String) -> SchemaFinding {
        let shown: String
        switch node.kind {
        case .scalar(let text, _): shown = text.isEmpty ? "empty" : ValueText.show(.string(text))
        case .mapping: shown = "a mapping"
        case .sequence: shown = "a list"
        }
        return SchemaFinding(
            rule: "schema.type", mark: node.mark, message: "\(InstancePath.name(path)) is \(shown); it \(message)", path: path)
    }

    /// `schema.type`, with a YAML hint when quoting would fix it.
    func typeFinding(_ node: Node, _ instance: Instance, expected: [JSONSchema.JSONType], path: String) -> SchemaFinding {
        let words = expected.filter { !($0 == .integer && expected.contains(.number)) }.map { ValueText.article(ValueText.typeWord($0)) }
        var message = "\(InstancePath.name(path)) must be \(ValueText.list(words)), not \(ValueText.article(instance.typeWord))"
        if case .scalar(let text, _) = node.kind { message += " (\(text.isEmpty ? "empty" : ValueText.show(.string(text))))" }
        if expected.contains(.string), node.scalarText != nil, instance.type != .string, instance.type != .null {
            message += "; quote it (\"\(node.scalarText ?? "")\") so YAML reads it as a string"
        } else if case .string(let s) = instance.value, let scalarStyle = node.scalarStyle, scalarStyle != .plain,
            expected.contains(where: { $0 != .string }), Value.resolveScalar(s, style: .plain, tag: nil) != .string(s)
        {
            message +=
                "; remove the quotes so it is read as \(ValueText.article(Instance.typeWord(of: Value.resolveScalar(s, style: .plain, tag: nil))))"
        } else {
            message += "; change the value"
        }
        return SchemaFinding(rule: "schema.type", mark: node.mark, message: message, path: path)
    }
}

extension Node {
    /// The scalar style, when this is a scalar.
    var scalarStyle: ScalarStyle? {
        if case .scalar(_, let style) = kind { return style }
        return nil
    }
}

/// Validates located YAML/JSON node trees against a `CompiledSchema`.
///
/// Every diagnostic points at the offending node's own mark (an unknown key at the
/// key, a missing key at its mapping). Validation never throws and never recurses
/// deeper than the document depth limit.
public struct SchemaValidator: Sendable {
    /// The compiled schema.
    public let schema: CompiledSchema
    /// Deepest instance nesting followed (documents are already limited to this).
    public var maxDepth: Int = DocumentLoader().maxDepth
    /// Longest chain of `$ref`/`allOf`/`anyOf`/… applied to one node before the
    /// schema is reported as cyclic.
    public var maxSchemaHops: Int = 64

    /// A validator for `schema`.
    public init(schema: CompiledSchema) { self.schema = schema }

    /// Validates `node`, a document of `file`, returning every finding.
    public func validate(_ node: Node, file: String) -> [Diagnostic] {
        var findings: [SchemaFinding] = []
        let context = Walk(validator: self)
        context.check(node, schema.root, path: InstancePath.root, depth: 0, hops: 0, into: &findings)
        var seenCycle = false
        return findings.compactMap { f in
            if let schemaFile = f.schemaFile {
                // One cycle report is enough; the same cycle shows up at every node it touches.
                if seenCycle { return nil }
                seenCycle = true
                return Diagnostic(file: schemaFile, at: f.mark, f.severity, rule: f.rule, f.message)
            }
            return Diagnostic(file: file, at: f.mark, f.severity, rule: f.rule, f.message)
        }
    }

    /// Validates `value` (a parsed document's root) against `schema`.
    public static func validate(value: Node, schema: CompiledSchema, file: String) -> [Diagnostic] {
        SchemaValidator(schema: schema).validate(value, file: file)
    }

    /// Validates a parsed document against a parsed schema document; schema problems
    /// (`schema.invalid-schema`) come first.
    public static func validate(document: Document, schema: Document) -> [Diagnostic] {
        let compiled = CompiledSchema(document: schema)
        guard let root = document.root else { return compiled.diagnostics }
        return compiled.diagnostics + validate(value: root, schema: compiled, file: document.path)
    }
}

/// One validation pass: the recursive walk over node and schema.
struct Walk {
    let validator: SchemaValidator

    /// Applies `schema` to `node`, appending findings.
    func check(_ node: Node, _ schema: JSONSchema, path: String, depth: Int, hops: Int, into out: inout [SchemaFinding]) {
        guard depth <= validator.maxDepth else { return }
        guard hops <= validator.maxSchemaHops else {
            out.append(
                SchemaFinding(
                    rule: "schema.invalid-schema", mark: schema.mark,
                    message: "schema references loop back to themselves without descending into the document (at \(schema.pointer)); break the $ref cycle",
                    path: path, schemaFile: validator.schema.file))
            return
        }
        let rules = schema.rules
        if rules.rejectsAll {
            out.append(SchemaFinding(rule: "schema.type", mark: node.mark, message: "\(InstancePath.name(path)) is not allowed here (the schema is false); remove it", path: path))
            return
        }
        let instance = Instance(node)
        if let types = rules.types, !instance.matches(types) {
            out.append(typeFinding(node, instance, expected: types, path: path))
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
            message += "; remove the quotes so it is read as \(ValueText.article(Instance.typeWord(of: Value.resolveScalar(s, style: .plain, tag: nil))))"
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

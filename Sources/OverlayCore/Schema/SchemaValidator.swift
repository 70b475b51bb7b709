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
        let context = SchemaWalk(validator: self)
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

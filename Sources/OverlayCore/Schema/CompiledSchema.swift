/// A schema file compiled once: the root schema, every subschema by JSON pointer, and
/// the problems found in the schema file itself (`schema.invalid-schema`).
public struct CompiledSchema: Sendable {
    /// The schema file's path, where `schema.invalid-schema` findings point.
    public let file: String
    /// The root schema; `true` when the file could not be read as a schema.
    public let root: JSONSchema
    /// Problems in the schema file.
    public let diagnostics: [Diagnostic]
    /// Every compiled subschema by its JSON pointer, for `$ref`.
    let byPointer: [String: JSONSchema]

    /// Compiles a parsed schema document (JSON or YAML).
    public init(document: Document) {
        guard let node = document.root else {
            // The document layer already reported why the file did not parse.
            self.init(file: document.path, root: CompiledSchema.acceptAll, byPointer: [:], diagnostics: [])
            return
        }
        self.init(node: node, file: document.path)
    }

    /// Compiles a schema from its root node.
    public init(node: Node, file: String) {
        var compiler = SchemaCompiler(file: file)
        let root = compiler.compile(node, pointer: "#")
        compiler.checkReferences()
        self.init(file: file, root: root, byPointer: compiler.byPointer, diagnostics: compiler.diagnostics)
    }

    private init(file: String, root: JSONSchema, byPointer: [String: JSONSchema], diagnostics: [Diagnostic]) {
        self.file = file
        self.root = root
        self.byPointer = byPointer
        self.diagnostics = diagnostics
    }

    /// The schema a `$ref` names, or nil when it is dangling (already reported).
    func resolve(_ ref: String) -> JSONSchema? { byPointer[ref] }

    static let acceptAll = JSONSchema(mark: .start, pointer: "#", rules: JSONSchema.Rules())
}

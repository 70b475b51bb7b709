/// One problem found while validating, before it becomes a `Diagnostic`.
struct SchemaFinding: Sendable {
    var rule: String
    var severity: Severity = .error
    var mark: Mark
    var message: String
    /// The instance path of the node the finding is about (for picking anyOf branches).
    var path: String
    /// Set when the finding is about the schema file rather than the instance.
    var schemaFile: String?

    var isError: Bool { severity == .error }
}

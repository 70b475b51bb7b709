import Foundation

/// Validates `config.yaml` against `policy/config.schema.json` (`schema.*` rules).
public struct SchemaCheck: RepoCheck {
    /// Where the harness config schema lives.
    public static let schemaPath = "policy/config.schema.json"
    /// The harness config the schema checks.
    public static let configPath = "config.yaml"
    /// The harness's key catalog; when a repo lacks it, the copy built into overlay is used.
    public static let catalogPath = "policy/harness-keys.json"

    public init() {}

    public func check(_ context: ValidationContext) -> [Diagnostic] {
        guard let schemaDocument = context.repo[SchemaCheck.schemaPath] else {
            // Without the schema config.yaml would go unchecked, and validate would say ok.
            return context.repo.files.isMissing(SchemaCheck.schemaPath) ? [SchemaCheck.missingSchema] : []
        }
        guard schemaDocument.root != nil else {
            // A schema that did not parse: the document check reports that.
            return []
        }
        guard let config = context.repo[SchemaCheck.configPath] else {
            return [
                Diagnostic(
                    file: SchemaCheck.configPath, at: .start, rule: "schema.missing-config",
                    "config.yaml is missing, but \(SchemaCheck.schemaPath) expects the harness config at the repo root; add config.yaml"
                )
            ]
        }
        let (catalog, catalogProblems) = SchemaCheck.catalog(in: context)
        return catalogProblems
            + SchemaCheck.validateHarnessConfig(config, schema: CompiledSchema(document: schemaDocument), catalog: catalog)
    }

    /// The repo's key catalog, or the built-in one when the repo has none or it cannot be read.
    static func catalog(in context: ValidationContext) -> (HarnessKeyCatalog, [Diagnostic]) {
        guard let document = context.repo[catalogPath], let root = document.root else { return (.harness, []) }
        if let hit = CatalogCache.shared.lookup(document.text) { return (hit, []) }
        do {
            let catalog = try HarnessKeyCatalog(value: root.value)
            CatalogCache.shared.store(document.text, catalog)
            return (catalog, [])
        } catch {
            let problem = Diagnostic(
                file: catalogPath, at: .start, rule: "schema.invalid-catalog",
                "\(catalogPath) is not a harness key catalog (\(error)); regenerate it with scripts/harness-keys.py generate, or delete it to use the catalog built into overlay"
            )
            return (.harness, [problem])
        }
    }

    /// Checks a harness config: the schema's types and ranges, then its keys against the
    /// harness's key catalog (`HarnessKeyCheck`). Schema problems come first.
    public static func validateHarnessConfig(
        _ config: Document, schema compiled: CompiledSchema, catalog: HarnessKeyCatalog = .harness
    ) -> [Diagnostic] {
        guard let root = config.root else { return compiled.diagnostics }
        let keys = HarnessKeyCheck(catalog: catalog, schema: compiled, file: config.path).check(root)
        return compiled.diagnostics + SchemaValidator.validate(value: root, schema: compiled, file: config.path) + keys
    }

    /// `schema.missing`: the schema every overlay repo carries is not there.
    static let missingSchema = Diagnostic(
        file: schemaPath, at: .start, rule: "schema.missing",
        "\(schemaPath) is missing: it is the JSON Schema that \(configPath) is checked against (and that editors validate with), so \(configPath) goes unchecked; restore it (git checkout -- \(schemaPath))"
    )
}

/// The last repo catalog read, by its text: a validate or converge asks for it once per
/// renderer and once per check.
final class CatalogCache: @unchecked Sendable {
    static let shared = CatalogCache()
    private let lock = NSLock()
    private var last: (text: String, catalog: HarnessKeyCatalog)?

    func lookup(_ text: String) -> HarnessKeyCatalog? {
        lock.withLock { last.flatMap { $0.text == text ? $0.catalog : nil } }
    }

    func store(_ text: String, _ catalog: HarnessKeyCatalog) {
        lock.withLock { last = (text, catalog) }
    }
}

import Foundation

@testable import OverlayCore

/// Validates inline YAML (as `config.yaml`) against an inline JSON schema (as `s.json`).
func schemaDiagnostics(_ yaml: String, schema json: String) -> [Diagnostic] {
    let schema = parse(json, path: "s.json")
    let config = parse(yaml, path: "config.yaml")
    return SchemaValidator.validate(document: config, schema: schema)
}

/// The package root, found from this file's path (Tests/OverlayCoreTests/…).
let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

/// Reads a file of the package and parses it as `path`.
func packageDocument(_ path: String) throws -> Document {
    let data = try Data(contentsOf: packageRoot.appendingPathComponent(path))
    return DocumentLoader().parse(data: data, path: path)
}

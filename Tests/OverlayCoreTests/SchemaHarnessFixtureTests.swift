import Foundation
import Testing

@testable import OverlayCore

/// Configs written here in the shape the harness writes them validate without false alarms.
@Suite struct SchemaHarnessFixtureTests {
    static let schema = CompiledSchema(document: (try? packageDocument(SchemaCheck.schemaPath)) ?? parse("{}", path: "s.json"))

    func diagnostics(_ path: String) throws -> [Diagnostic] {
        let document = try packageDocument(path)
        #expect(document.diagnostics.isEmpty, "\(document.diagnostics.map(\.description))")
        return SchemaCheck.validateHarnessConfig(document, schema: Self.schema)
    }

    /// Every key of the harness's default config at that version, written by
    /// `scripts/harness-keys.py fixture`: only the deprecated `toolsets` (which the harness's
    /// own defaults still write) is reported, as a warning.
    @Test(arguments: [33, 45, 50])
    func everyDefaultKeyOfAVersionValidates(version: Int) throws {
        let path = "Tests/Fixtures/configs/harness-defaults-v\(version).yaml"
        let d = try diagnostics(path)
        #expect(d.map { "\($0.severity.rawValue) \($0.rule)" } == ["warning schema.deprecated"], "\(d.map(\.description))")
        let written = Set(keyPaths(try #require(try packageDocument(path).root)))
        let expected = Set(HarnessKeyCatalog.harness.defaults(at: version).map(\.path))
        #expect(expected.subtracting(written).isEmpty, "missing from \(path): \(expected.subtracting(written).sorted().prefix(10))")
        #expect(expected.count > 800)
    }

    /// One config in the shape of each generation of the harness's example.
    @Test(arguments: ["generation-early-2026.yaml", "generation-spring-2026.yaml", "generation-summer-2026.yaml"])
    func exampleGenerationValidatesClean(name: String) throws {
        let d = try diagnostics("Tests/Fixtures/configs/\(name)")
        #expect(d.isEmpty, "\(d.map(\.description))")
    }

    func keyPaths(_ node: Node, prefix: String = "") -> [String] {
        (node.pairs ?? []).flatMap { pair -> [String] in
            let key = pair.key.value.keyString
            let path = prefix.isEmpty ? key : prefix + "." + key
            return key == "_config_version" ? [] : [path] + keyPaths(pair.value, prefix: path)
        }
    }
}

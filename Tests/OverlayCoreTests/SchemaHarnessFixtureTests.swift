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

    /// No red in an editor where CI is green: Python jsonschema (what editors' validators
    /// implement) finds no error in the repo's config, the fixtures, and the shared corpus.
    @Test func editorsAgreeThatTheseConfigsAreValid() throws {
        let fixtures = try FileManager.default.contentsOfDirectory(
            atPath: packageRoot.appendingPathComponent("Tests/Fixtures/configs").path
        )
        .filter { $0.hasSuffix(".yaml") }.sorted().map { "Tests/Fixtures/configs/\($0)" }
        let corpus = SchemaCorpusTests.folder.map { folder in SchemaCorpusTests.files.map { folder.appendingPathComponent($0).path } } ?? []
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments =
            ["python3", "Tests/Fixtures/schema-crosscheck/editor_view.py", SchemaCheck.schemaPath, SchemaCheck.configPath] + fixtures
            + corpus
        process.currentDirectoryURL = packageRoot
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let problems = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "editor_view.py failed (needs python3 with jsonschema and pyyaml): \(problems)")
        let lines = text.split(separator: "\n")
        #expect(lines.count == 1 + fixtures.count + corpus.count)
        #expect(lines.allSatisfy { $0.hasPrefix("0 ") }, "\(lines.filter { !$0.hasPrefix("0 ") })")
    }

    func keyPaths(_ node: Node, prefix: String = "") -> [String] {
        (node.pairs ?? []).flatMap { pair -> [String] in
            let key = pair.key.value.keyString
            let path = prefix.isEmpty ? key : prefix + "." + key
            return key == "_config_version" ? [] : [path] + keyPaths(pair.value, prefix: path)
        }
    }
}

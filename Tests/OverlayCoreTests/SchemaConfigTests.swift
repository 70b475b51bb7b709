import Foundation
import Testing

@testable import OverlayCore

/// The repo's own schema against the repo's config and against real users' configs.
@Suite struct SchemaConfigTests {
    static let fixtureConfigs = ["routed-providers.yaml", "messaging-gateway.yaml", "harness-defaults.yaml"]

    func repoSchema() throws -> Document { try packageDocument(SchemaCheck.schemaPath) }

    @Test func repoSchemaCompilesCleanly() throws {
        let schema = try repoSchema()
        #expect(schema.diagnostics.isEmpty)
        #expect(CompiledSchema(document: schema).diagnostics.isEmpty)
    }

    @Test func repoConfigValidatesClean() throws {
        let config = try packageDocument(SchemaCheck.configPath)
        #expect(config.diagnostics.isEmpty)
        let d = SchemaCheck.validateHarnessConfig(config, schema: CompiledSchema(document: try repoSchema()))
        #expect(d.isEmpty, "\(d.map(\.description))")
    }

    @Test(arguments: fixtureConfigs)
    func realUserConfigHasNoFalseAlarms(name: String) throws {
        let config = try packageDocument("Tests/Fixtures/configs/\(name)")
        #expect(config.root != nil)
        let d = SchemaCheck.validateHarnessConfig(config, schema: CompiledSchema(document: try repoSchema()))
        #expect(d.isEmpty, "\(d.map(\.description))")
    }

    @Test func misspelledSectionInRepoConfigIsCaught() throws {
        let text = try String(contentsOf: packageRoot.appendingPathComponent("config.yaml"), encoding: .utf8)
            .replacingOccurrences(of: "\nmemory:\n", with: "\nmemroy:\n")
        let config = parse(text, path: "config.yaml")
        let d = SchemaCheck.validateHarnessConfig(config, schema: CompiledSchema(document: try repoSchema()))
        let line = text.components(separatedBy: "\n").firstIndex(of: "memroy:").map { $0 + 1 }
        #expect(d.map(\.rule) == ["schema.unknown-key"])
        #expect(d.first?.line == line && d.first?.column == 1)
        #expect(d.first?.message.contains("did you mean 'memory'?") == true)
    }

    @Test func deprecatedToolsetsWarnsAndPointsAtPlatformToolsets() throws {
        let config = parse("model: m\ntoolsets: [web, terminal]\n", path: "config.yaml")
        let d = SchemaValidator.validate(document: config, schema: try repoSchema())
        #expect(d.map(\.rule) == ["schema.deprecated"] && d.first?.severity == .warning)
        #expect(d.first?.line == 2 && d.first?.column == 1)
        #expect(d.first?.message.contains("platform_toolsets") == true)
    }

    @Test func spawnDepthOutOfRangeInRepoSchema() throws {
        let config = parse("delegation:\n  max_spawn_depth: 4\n", path: "config.yaml")
        let d = SchemaValidator.validate(document: config, schema: try repoSchema())
        #expect(d.map(\.rule) == ["schema.range"] && d.first?.line == 2 && d.first?.column == 20)
    }

    @Test func apiKeyReferenceIsAString() throws {
        let config = parse("model:\n  api_key: ${MODEL_API_KEY}\n", path: "config.yaml")
        #expect(SchemaValidator.validate(document: config, schema: try repoSchema()).isEmpty)
    }

    @Test func missingConfigIsReportedWhenTheSchemaExists() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("schema-check-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("policy"), withIntermediateDirectories: true)
        try Data(#"{"type": "object"}"#.utf8).write(to: dir.appendingPathComponent(SchemaCheck.schemaPath))
        let context = ValidationContext(repo: LoadedRepo(root: dir))
        let d = SchemaCheck().check(context)
        #expect(d.map(\.rule) == ["schema.missing-config"] && d.first?.file == "config.yaml")

        try Data("agent: 1\n".utf8).write(to: dir.appendingPathComponent("config.yaml"))
        #expect(SchemaCheck().check(ValidationContext(repo: LoadedRepo(root: dir))).isEmpty)
    }

    @Test func missingSchemaIsAnErrorAtItsPath() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("schema-check-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try Data("agent: {max_turnz: 1}\n".utf8).write(to: dir.appendingPathComponent("config.yaml"))
        let d = SchemaCheck().check(ValidationContext(repo: LoadedRepo(root: dir)))
        #expect(d.map { "\($0.rule) \($0.file):\($0.line):\($0.column)" } == ["schema.missing policy/config.schema.json:1:1"])
        #expect(d.first?.message.contains("git checkout -- policy/config.schema.json") == true)
    }

    @Test func unparsableSchemaIsLeftToTheDocumentCheck() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("schema-check-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("policy"), withIntermediateDirectories: true)
        try Data(#"{"type": "object",}"#.utf8).write(to: dir.appendingPathComponent(SchemaCheck.schemaPath))
        try Data("agent: 1\n".utf8).write(to: dir.appendingPathComponent("config.yaml"))
        let d = Validator().validate(root: dir).diagnostics.filter { $0.file == SchemaCheck.schemaPath }
        #expect(d.map(\.rule) == ["json.syntax"])
    }
}

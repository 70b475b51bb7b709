import Foundation
import Testing

@testable import OverlayCore

/// overlay's validator must reach the same verdict as Python's jsonschema
/// (Draft202012Validator) on hundreds of generated valid and mutated instances.
@Suite struct SchemaCrossCheckTests {
    struct Case {
        var schema: String
        var instance: String
        var valid: Bool
        var mutation: String
    }

    static let folder = "Tests/Fixtures/schema-crosscheck"
    static let schemas = [
        SchemaCheck.schemaPath, "\(folder)/schemas/combinators.json", "\(folder)/schemas/scalars.json",
        "\(folder)/schemas/conditional.json",
    ]

    /// Runs the generator; fails loudly when python3 or jsonschema is missing.
    func generate(seed: Int, count: Int) throws -> [Case] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "\(Self.folder)/generate.py", String(seed), String(count)] + Self.schemas
        process.currentDirectoryURL = packageRoot
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        let errors = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        try #require(
            process.terminationStatus == 0,
            "generate.py failed (needs python3 with jsonschema: pip install jsonschema): \(errors)")
        return try String(decoding: data, as: UTF8.self).split(separator: "\n").map { line in
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            let instance = try JSONSerialization.data(
                withJSONObject: object["instance"] ?? NSNull(), options: [.fragmentsAllowed, .sortedKeys])
            return Case(
                schema: object["schema"] as? String ?? "", instance: String(decoding: instance, as: UTF8.self),
                valid: object["valid"] as? Bool ?? false, mutation: object["mutation"] as? String ?? "")
        }
    }

    @Test func verdictsMatchPythonJsonschema() throws {
        // OVERLAY_CROSSCHECK_SEED explores other instance sets; the default keeps CI repeatable.
        let seed = ProcessInfo.processInfo.environment["OVERLAY_CROSSCHECK_SEED"].flatMap { Int($0) } ?? 20_240_611
        let cases = try generate(seed: seed, count: 150)
        var compiled: [String: CompiledSchema] = [:]
        for path in Self.schemas {
            let schema = try packageDocument(path)
            let c = CompiledSchema(document: schema)
            #expect(c.diagnostics.isEmpty, "\(path): \(c.diagnostics.map(\.description))")
            compiled[path] = c
        }
        var mismatches: [String] = []
        for c in cases {
            let schema = try #require(compiled[c.schema])
            let doc = DocumentLoader().parse(data: Data(c.instance.utf8), path: "instance.json")
            let root = try #require(doc.root, "instance did not parse: \(c.instance)")
            let errors = SchemaValidator.validate(value: root, schema: schema, file: "instance.json").filter { $0.severity == .error }
            if errors.isEmpty != c.valid {
                mismatches.append(
                    "\(c.schema) [\(c.mutation)] python valid=\(c.valid), overlay: \(errors.map(\.description)) — \(c.instance)")
            }
        }
        #expect(cases.count == 150 * Self.schemas.count)
        #expect(cases.filter(\.valid).count >= 100 && cases.filter { !$0.valid }.count >= 100)
        #expect(mismatches.isEmpty, "seed \(seed): \(mismatches.count) mismatches, first: \(mismatches.prefix(5).joined(separator: "\n"))")
    }
}

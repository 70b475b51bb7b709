import Foundation
import Testing

@testable import OverlayCore

/// A broken schema file is reported in the schema file, not in the config.
@Suite struct SchemaInvalidSchemaTests {
    @Test func unknownTypeNameIsReportedInTheSchemaFile() throws {
        let d = schemaDiagnostics("a: 1\n", schema: "{\"properties\": {\"a\":\n  {\"type\": \"strng\"}}}")
        let only = try #require(d.first)
        #expect(only.rule == "schema.invalid-schema" && only.file == "s.json")
        #expect((only.line, only.column) == (2, 12))
        #expect(only.message.contains("did you mean 'string'?"))
    }

    @Test func badRegexIsReported() {
        let d = schemaDiagnostics("a: x\n", schema: #"{"properties": {"a": {"pattern": "(unclosed"}}}"#)
        #expect(d.map(\.rule) == ["schema.invalid-schema"] && d.first?.file == "s.json" && d.first?.column == 34)
    }

    @Test func danglingRefIsReported() {
        let d = schemaDiagnostics("a: x\n", schema: ##"{"properties": {"a": {"$ref": "#/$defs/nope"}}}"##)
        #expect(d.map(\.rule) == ["schema.invalid-schema"] && d.first?.column == 31)
    }

    @Test func refCycleEndsWithADiagnosticNotAHang() {
        let schema = ##"{"$defs": {"a": {"$ref": "#/$defs/b"}, "b": {"$ref": "#/$defs/a"}}, "$ref": "#/$defs/a"}"##
        let d = schemaDiagnostics("a: 1\n", schema: schema)
        #expect(d.map(\.rule) == ["schema.invalid-schema"] && d.first?.file == "s.json")
    }

    @Test func misspelledKeywordIsAWarning() {
        let d = schemaDiagnostics("a: 1\n", schema: #"{"requried": ["a"]}"#)
        #expect(d.map(\.rule) == ["schema.invalid-schema"] && d.first?.severity == .warning && d.first?.column == 2)
    }

    @Test func deepDocumentAgainstARecursiveSchemaStaysBounded() {
        // 100 nested mappings (the loader's limit) against a schema that recurses through "#".
        let yaml = (0..<99).map { String(repeating: " ", count: $0) + "k:" }.joined(separator: "\n") + " 1\n"
        let schema = ##"{"type": ["object", "integer"], "additionalProperties": {"$ref": "#"}, "maxProperties": 1}"##
        let d = schemaDiagnostics(yaml, schema: schema)
        #expect(d.isEmpty)
    }
}

import Foundation
import Testing

@testable import OverlayCore

/// One behaviour per test: the rule id and where it points.
@Suite struct SchemaRuleTests {
    static let agentSchema = """
        {"type": "object", "additionalProperties": false, "properties": {
          "agent": {"type": "object", "additionalProperties": false,
                    "properties": {"max_turns": {"type": "integer", "minimum": 1}, "verbose": {"type": "boolean"}}}}}
        """

    @Test func unknownKeyPointsAtTheKeyAndSuggests() throws {
        let d = schemaDiagnostics("agent:\n  verbose: true\n  max_turnz: 3\n", schema: Self.agentSchema)
        let only = try #require(d.first)
        #expect(d.count == 1)
        #expect(only.rule == "schema.unknown-key")
        #expect((only.line, only.column) == (3, 3))
        #expect(only.message.contains("agent.max_turnz"))
        #expect(only.message.contains("did you mean 'max_turns'?"))
    }

    @Test func unknownTopLevelKeyWithoutNearMatchListsNoGuess() throws {
        let d = schemaDiagnostics("agent: {}\nzzzzzz: 1\n", schema: Self.agentSchema)
        let only = try #require(d.first)
        #expect(only.rule == "schema.unknown-key" && (only.line, only.column) == (2, 1))
        #expect(!only.message.contains("did you mean"))
    }

    @Test func typeMismatchPointsAtTheValue() throws {
        let d = schemaDiagnostics("agent:\n  max_turns: ten\n", schema: Self.agentSchema)
        let only = try #require(d.first)
        #expect(only.rule == "schema.type" && (only.line, only.column) == (2, 14))
        #expect(only.message.contains("must be an integer, not a string"))
    }

    @Test func quotedNumberIsAStringAndTheMessageSaysSo() throws {
        let d = schemaDiagnostics("agent:\n  max_turns: \"10\"\n", schema: Self.agentSchema)
        let only = try #require(d.first)
        #expect(only.rule == "schema.type" && (only.line, only.column) == (2, 14))
        #expect(only.message.contains("remove the quotes"))
    }

    @Test func integerAcceptsWholeJSONFloatsOnly() {
        let schema = #"{"properties": {"n": {"type": "integer"}}}"#
        let whole = SchemaValidator.validate(document: parse(#"{"n": 1.0}"#, path: "i.json"), schema: parse(schema, path: "s.json"))
        let half = SchemaValidator.validate(document: parse("{\"n\":\n 1.5}", path: "i.json"), schema: parse(schema, path: "s.json"))
        #expect(whole.isEmpty)
        #expect(half.map(\.rule) == ["schema.type"] && half.first?.line == 2 && half.first?.column == 2)
    }

    @Test func enumListsAllowedValuesAndSuggests() throws {
        let schema = #"{"properties": {"mode": {"enum": ["interrupt", "queue", "steer"]}}}"#
        let d = schemaDiagnostics("mode: queu\n", schema: schema)
        let only = try #require(d.first)
        #expect(only.rule == "schema.enum" && (only.line, only.column) == (1, 7))
        #expect(only.message.contains("'interrupt', 'queue', 'steer'"))
        #expect(only.message.contains("did you mean 'queue'?"))
    }

    @Test func minimumIsARangeError() throws {
        let d = schemaDiagnostics("agent:\n  max_turns: 0\n", schema: Self.agentSchema)
        let only = try #require(d.first)
        #expect(only.rule == "schema.range" && (only.line, only.column) == (2, 14))
        #expect(only.message.contains("at least 1"))
    }

    @Test func exclusiveBoundsRejectTheBoundItself() {
        let schema = #"{"properties": {"r": {"type": "number", "exclusiveMinimum": 0, "exclusiveMaximum": 1}}}"#
        #expect(schemaDiagnostics("r: 0.5\n", schema: schema).isEmpty)
        let d = schemaDiagnostics("r: 1\n", schema: schema)
        #expect(d.map(\.rule) == ["schema.range"] && d.first?.column == 4)
    }

    @Test func maxLengthCountsUnicodeScalars() {
        let schema = #"{"properties": {"w": {"type": "string", "maxLength": 2}}}"#
        // A flag is two scalars (fits); "e" plus a combining accent plus "x" is three (too long).
        #expect(schemaDiagnostics("w: \"🇩🇪\"\n", schema: schema).isEmpty)
        let d = schemaDiagnostics("w: \"e\u{301}x\"\n", schema: schema)
        #expect(d.map(\.rule) == ["schema.range"] && d.first?.line == 1 && d.first?.column == 4)
    }

    @Test func maxItemsIsARangeErrorAtTheList() {
        let schema = #"{"properties": {"l": {"type": "array", "maxItems": 1}}}"#
        let d = schemaDiagnostics("l:\n  - a\n  - b\n", schema: schema)
        #expect(d.map(\.rule) == ["schema.range"] && d.first?.line == 2 && d.first?.column == 3)
    }

    @Test func missingRequiredKeyPointsAtTheMapping() throws {
        let schema = #"{"properties": {"api": {"type": "object", "required": ["port"]}}}"#
        let d = schemaDiagnostics("x: 1\napi:\n  host: h\n", schema: schema)
        let only = try #require(d.first)
        #expect(only.rule == "schema.required" && (only.line, only.column) == (3, 3))
        #expect(only.message.contains("'port'"))
    }

    @Test func patternIsAnUnanchoredSearch() {
        let schema = #"{"properties": {"c": {"type": "string", "pattern": "[0-9]{3}"}}}"#
        #expect(schemaDiagnostics("c: abc123\n", schema: schema).isEmpty)
        let d = schemaDiagnostics("c: ab12\n", schema: schema)
        #expect(d.map(\.rule) == ["schema.pattern"] && d.first?.column == 4)
    }

    @Test func constMismatch() {
        let schema = #"{"properties": {"v": {"const": 2}}}"#
        #expect(schemaDiagnostics("v: 2.0\n", schema: schema).isEmpty)
        let d = schemaDiagnostics("v: 3\n", schema: schema)
        #expect(d.map(\.rule) == ["schema.const"] && d.first?.column == 4)
    }

    @Test func uniqueItemsPointsAtTheRepeat() {
        let schema = #"{"properties": {"t": {"type": "array", "uniqueItems": true}}}"#
        let d = schemaDiagnostics("t: [1, a, 1.0]\n", schema: schema)
        #expect(d.map(\.rule) == ["schema.unique-items"] && d.first?.column == 11)
    }

    @Test func notRejectsTheExcludedForm() {
        let schema = #"{"properties": {"s": {"type": "string", "not": {"const": ""}}}}"#
        let d = schemaDiagnostics("s: \"\"\n", schema: schema)
        #expect(d.map(\.rule) == ["schema.not"] && d.first?.column == 4)
    }

    @Test func refResolvesIntoDefs() {
        let schema = ##"{"$defs": {"port": {"type": "integer", "maximum": 65535}}, "properties": {"p": {"$ref": "#/$defs/port"}}}"##
        let d = schemaDiagnostics("p: 70000\n", schema: schema)
        #expect(d.map(\.rule) == ["schema.range"] && d.first?.column == 4)
    }

    @Test func additionalPropertiesSchemaAppliesToOtherKeys() {
        let schema =
            #"{"properties": {"a": {}}, "patternProperties": {"^x-": {"type": "string"}}, "additionalProperties": {"type": "integer"}}"#
        let d = schemaDiagnostics("a: s\nx-1: s\nb: s\n", schema: schema)
        #expect(d.map(\.rule) == ["schema.type"] && d.first?.line == 3 && d.first?.column == 4)
    }

    @Test func anyOfReportsTheBranchThatFits() throws {
        let schema = #"{"properties": {"e": {"anyOf": [{"enum": ["low", "high"]}, {"type": "object"}]}}}"#
        let d = schemaDiagnostics("e: hihg\n", schema: schema)
        let only = try #require(d.first)
        #expect(d.count == 1 && only.rule == "schema.enum" && only.column == 4)
        #expect(only.message.contains("did you mean 'high'?"))
    }

    @Test func anyOfWithNoClearBranchIsSummarised() {
        let schema = #"{"properties": {"s": {"anyOf": [{"type": "string", "minLength": 5}, {"type": "string", "pattern": "^x"}]}}}"#
        let d = schemaDiagnostics("s: ab\n", schema: schema)
        #expect(d.map(\.rule) == ["schema.any-of"] && d.first?.column == 4)
    }

    @Test func anyOfWhereEveryBranchWantsAnotherTypeIsATypeError() throws {
        let schema = #"{"properties": {"m": {"anyOf": [{"type": "string"}, {"type": "object"}]}}}"#
        let only = try #require(schemaDiagnostics("m: [1]\n", schema: schema).first)
        #expect(only.rule == "schema.type" && only.column == 4)
        #expect(only.message.contains("a mapping or a string"))
    }

    @Test func oneOfMatchingTwoBranchesIsReported() {
        let schema = #"{"properties": {"n": {"oneOf": [{"type": "integer"}, {"type": "number", "minimum": 5}]}}}"#
        #expect(schemaDiagnostics("n: 3\n", schema: schema).isEmpty)
        let d = schemaDiagnostics("n: 7\n", schema: schema)
        #expect(d.map(\.rule) == ["schema.one-of"] && d.first?.column == 4)
    }

    @Test func oneOfMatchingNoBranchIsSummarised() {
        let schema = #"{"properties": {"n": {"oneOf": [{"type": "integer", "maximum": 1}, {"type": "integer", "minimum": 5}]}}}"#
        let d = schemaDiagnostics("n: 3\n", schema: schema)
        #expect(d.map(\.rule) == ["schema.one-of"] && d.first?.column == 4)
    }

    @Test func deprecatedKeyIsAWarningAtTheKey() throws {
        let schema = #"{"properties": {"toolsets": {"deprecated": true, "description": "use platform_toolsets instead"}}}"#
        let only = try #require(schemaDiagnostics("x: 1\ntoolsets: all\n", schema: schema).first)
        #expect(only.rule == "schema.deprecated" && only.severity == .warning && (only.line, only.column) == (2, 1))
        #expect(only.message.contains("platform_toolsets"))
    }
}

import Foundation
import Testing

@testable import OverlayCore

/// The managed scope's files as text PyYAML and python-dotenv read back exactly (the engine's
/// tests run the real readers on them; these pin the forms).
@Suite struct ManagedScopeTextTests {
    @Test func scalarsKeepTheirYAML11Types() {
        #expect(ManagedScopeText.scalar(.double(1e-5)) == "1.0e-05", "a float without a dot reads back as a string")
        #expect(ManagedScopeText.scalar(.double(0.6)) == "0.6")
        #expect(ManagedScopeText.scalar(.double(.infinity)) == ".inf")
        #expect(ManagedScopeText.scalar(.string("yes")) == "\"yes\"")
        #expect(ManagedScopeText.scalar(.string("a\u{85}b\u{2028}c\"\\")) == #""a\u0085b\u2028c\"\\""#)
        #expect(ManagedScopeText.key("on") == "\"on\"" && ManagedScopeText.key("max_turns") == "max_turns")
        #expect(ManagedScopeText.key("a b") == "\"a b\"")
    }

    @Test func aDocumentIsBlockMappingsWithFlowLists() {
        let value = Value.object([
            ("model", .object([("provider", .string("custom"))])), ("list", .array([.int(1), .null])), ("empty", .object([])),
        ])
        #expect(ManagedScopeText.yaml(value, header: ["h"]) == "# h\nmodel:\n  provider: \"custom\"\nlist: [1, null]\nempty: {}\n")
        #expect(ManagedScopeText.yaml(.object([]), header: []) == "{}\n")
    }

    @Test func envValuesAreBareOrSingleQuotedOrRefused() {
        #expect(ManagedScopeText.envValue("sk-local_1.2:3") == "sk-local_1.2:3")
        #expect(ManagedScopeText.envValue("two words") == "'two words'")
        #expect(ManagedScopeText.envValue(#"it's a\b"#) == #"'it\'s a\\b'"#)
        #expect(ManagedScopeText.envValue("") == "")
        for bad in ["a\nb", "a\r\nb", "x${HOME}", "nul\0"] { #expect(ManagedScopeText.envValue(bad) == nil, "\(bad)") }
    }
}

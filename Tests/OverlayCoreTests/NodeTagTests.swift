import Foundation
import Testing

@testable import OverlayCore

/// A node keeps its tag in one byte: the tree of a large repo is a third smaller, and
/// every tag overlay acts on still reads as libyaml spelled it.
@Suite struct NodeTagTests {
    @Test func aNodeIsThirtyTwoBytes() {
        // 48 with an optional String tag; a mapping entry (two nodes) went from 96 to 64.
        #expect(MemoryLayout<Node>.stride == 32)
        #expect(MemoryLayout<Node.Pair>.stride == 64)
    }

    @Test func everyKnownTagReadsBackAsWritten() {
        let yaml = ValueResolution.yaml
        let known =
            ["str", "int", "float", "bool", "null", "seq", "map", "set", "omap", "pairs", "binary", "timestamp", "merge", "value",
             "python/unicode", "python/dict"].map { yaml + $0 } + ["!", "!unsafe", "!vault", "!vault-encrypted"]
        for text in known {
            #expect(Node(.scalar("x", .plain), mark: .start, tag: text).tag == text)
        }
        #expect(Node(.scalar("x", .plain), mark: .start).tag == nil)
        #expect(Node(.scalar("x", .plain), mark: .start, tag: "!custom").tag == NodeTag.unknownText)
    }

    /// An unknown tag is refused with its own text, and reads as a string, as before.
    @Test func anUnknownTagIsStillRefusedByNameAndReadsAsAString() {
        let doc = DocumentLoader().parse(data: Data("v: !Ref thing\nw: !!int 7\nx: !!set {a, b}\n".utf8), path: "t.yaml")
        let tagProblems = doc.diagnostics.filter { $0.rule == "yaml.tag" }
        #expect(tagProblems.count == 1)
        #expect(tagProblems.first?.message.contains("!Ref") == true)
        #expect(doc.root?["v"]?.value == .string("thing"))
        #expect(doc.root?["w"]?.value == .int(7))
        #expect(doc.root?["x"]?.value == .array([.string("a"), .string("b")]))
        #expect(doc.root?["x"]?.typeName == Value.array([]).typeName)
    }

    @Test func unsafeAndVaultStillResolveAsAnsibleDoes() {
        let text = "a: !unsafe '{{ x }}'\nb: !vault |\n  $ANSIBLE_VAULT;1.1;AES256\n  3132\n"
        let doc = DocumentLoader().parse(data: Data(text.utf8), path: "t.yaml")
        #expect(doc.diagnostics.isEmpty)
        #expect(ValueResolution.resolve(doc.root!["a"]!, wrapUnsafe: true) == .object([("__ansible_unsafe", .string("{{ x }}"))]))
        if case .object(let entries) = doc.root!["b"]!.value {
            #expect(entries.first?.0 == "__ansible_vault")
        } else {
            Issue.record("a !vault scalar must read as a vault object")
        }
    }
}

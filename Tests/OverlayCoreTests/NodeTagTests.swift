import Foundation
import Testing

@testable import OverlayCore

/// A node keeps its tag in one byte: the tree of a large repo is a third smaller, and
/// every tag overlay acts on still reads as libyaml spelled it.
@Suite struct NodeTagTests {
    @Test func aNodeIsTwentyFourBytes() {
        // 48 with a Mark and an optional String tag; a mapping entry (two nodes) 96 → 48.
        #expect(MemoryLayout<Node>.stride == 24)
        #expect(MemoryLayout<Node.Pair>.stride == 48)
    }

    /// The packed mark keeps every line and column a 16 MiB file can have, and the tag beside it.
    @Test func theMarkAndTheTagSurvivePacking() {
        for (line, column) in [(1, 1), (7, 31), (16_777_217, 1), (1, 16_777_217), (33_554_431, 67_108_863)] {
            var node = Node(.scalar("x", .plain), mark: Mark(line: line, column: column), tag: ValueResolution.unsafeTag)
            #expect(node.mark == Mark(line: line, column: column))
            #expect(node.tag == ValueResolution.unsafeTag)
            node.mark = Mark(line: column % 1000 + 1, column: line % 1000 + 1)
            #expect(node.mark == Mark(line: column % 1000 + 1, column: line % 1000 + 1))
            #expect(node.tag == ValueResolution.unsafeTag)
            node.tag = nil
            #expect(node.mark == Mark(line: column % 1000 + 1, column: line % 1000 + 1) && !node.isTagged)
        }
        // Past the packed range a mark is clamped, never wrapped into another line.
        #expect(Node(.scalar("x", .plain), mark: Mark(line: 40_000_000, column: 3)).mark == Mark(line: 33_554_431, column: 3))
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

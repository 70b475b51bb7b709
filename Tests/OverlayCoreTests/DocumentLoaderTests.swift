import Foundation
import Testing

@testable import OverlayCore

/// Parses inline text as a file at `path`.
func parse(_ text: String, path: String = "t.yaml") -> Document {
    DocumentLoader().parse(data: Data(text.utf8), path: path)
}

@Suite struct DocumentLoaderTests {
    @Test func marksAreOneBased() throws {
        let doc = parse("a:\n  b: [1, 2]\n")
        let b = try #require(doc.root?["a"]?["b"])
        #expect(b.mark == Mark(line: 2, column: 6))
        #expect(b.items?[1].mark == Mark(line: 2, column: 10))
        #expect(b.value == .array([.int(1), .int(2)]))
    }

    @Test func duplicateKeyPointsAtSecondOccurrence() {
        let doc = parse("a: 1\nb: 2\na: 3\n")
        #expect(doc.diagnostics.map(\.rule) == ["yaml.duplicate-key"])
        #expect(doc.diagnostics.first?.line == 3 && doc.diagnostics.first?.column == 1)
        #expect(doc.root?["a"]?.value == .int(3))
    }
}

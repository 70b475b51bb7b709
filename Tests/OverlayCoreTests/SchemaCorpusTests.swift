import Foundation
import Testing

@testable import OverlayCore

/// The shared corpus of 24 configs the real harness loads (`shared/corpora/hermes-configs`,
/// never copied into this repo): no schema or YAML error on any of them, except the one real
/// duplicate top-level key, and a typo put into one of them is still caught. Skipped when the
/// corpus is not beside the checkout.
@Suite struct SchemaCorpusTests {
    static let folder: URL? = {
        var candidates: [URL] = []
        if let dir = ProcessInfo.processInfo.environment["OVERLAY_CORPORA"] { candidates.append(URL(fileURLWithPath: dir)) }
        var up = packageRoot
        for _ in 0..<3 {
            up = up.deletingLastPathComponent()
            candidates.append(up.appendingPathComponent("shared/corpora"))
        }
        return candidates.map { $0.appendingPathComponent("hermes-configs") }
            .first { FileManager.default.fileExists(atPath: $0.path) }
    }()

    static var files: [String] {
        guard let folder else { return [] }
        return ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).filter { $0.hasSuffix(".yaml") }.sorted()
    }

    static let schema = CompiledSchema(document: (try? packageDocument(SchemaCheck.schemaPath)) ?? parse("{}", path: "s.json"))

    func errors(_ text: String, _ name: String) -> [String] {
        let document = DocumentLoader().parse(data: Data(text.utf8), path: name)
        let all = document.diagnostics + SchemaCheck.validateHarnessConfig(document, schema: Self.schema)
        return all.filter { $0.severity == .error && ($0.rule.hasPrefix("schema.") || $0.rule.hasPrefix("yaml.")) }
            .map { "\($0.rule) \($0.line): \($0.message)" }
    }

    @Test(.enabled(if: folder != nil, "shared/corpora/hermes-configs is not beside the checkout"))
    func everyCorpusConfigValidatesWithoutSchemaErrors() throws {
        let folder = try #require(Self.folder)
        #expect(Self.files.count == 24)
        for name in Self.files {
            let text = try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
            let found = errors(text, name)
            if name.contains("dupkey") {
                #expect(
                    found.count == 1 && found.first?.hasPrefix("yaml.duplicate-key 1158: duplicate key 'code_execution'") == true,
                    "\(name): \(found)")
            } else {
                #expect(found.isEmpty, "\(name): \(found)")
            }
        }
    }

    @Test(.enabled(if: folder != nil, "shared/corpora/hermes-configs is not beside the checkout"))
    func aTypoInACorpusConfigIsStillCaught() throws {
        let folder = try #require(Self.folder)
        let name = try #require(Self.files.first { $0.contains("default-config-v50") })
        let text = try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
        var typo = text.replacingOccurrences(of: "\nmemory:\n", with: "\nmemroy:\n")
        // The first max_turns is agent's (goals has one too).
        let first = try #require(typo.range(of: "\n  max_turns:"))
        typo.replaceSubrange(first, with: "\n  max_turn:")
        #expect(typo != text)
        let found = errors(typo, name)
        #expect(found.count == 2 && found.allSatisfy { $0.hasPrefix("schema.unknown-key") }, "\(found)")
        #expect(found.contains { $0.contains("did you mean 'memory'?") } && found.contains { $0.contains("did you mean 'max_turns'?") })
    }
}

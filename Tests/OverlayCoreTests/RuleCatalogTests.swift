import Foundation
import Testing

@testable import OverlayCore

/// The rule catalog, the docs and the code agree: every rule id is declared once in
/// `RuleCatalog`, documented in `docs/rules.md` with the same severity, and every id the code
/// can report is declared.
@Suite struct RuleCatalogTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// Rule ids and severities as the docs' tables list them (`| \`a\` / \`b\` | severity | …`).
    static func documented() throws -> [String: String] {
        let text = try String(contentsOf: root.appendingPathComponent("docs/rules.md"), encoding: .utf8)
        var out: [String: String] = [:]
        for line in text.split(separator: "\n") where line.hasPrefix("| `") {
            let cells = line.split(separator: "|", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard cells.count > 3 else { continue }
            let ids = cells[1].split(separator: "`", omittingEmptySubsequences: false).enumerated().filter { $0.offset % 2 == 1 }.map { String($0.element) }
            for id in ids where id.contains(".") { out[id] = cells[2] }
        }
        return out
    }

    @Test func everyDeclaredRuleIsDocumentedWithItsSeverityAndNoMore() throws {
        let docs = try Self.documented()
        let declared = Dictionary(RuleCatalog.all.map { ($0.id, $0.level.rawValue) }, uniquingKeysWith: { a, _ in a })
        #expect(RuleCatalog.all.count == declared.count, "a rule is declared twice")
        let undocumented = Set(declared.keys).subtracting(docs.keys).sorted()
        let undeclared = Set(docs.keys).subtracting(declared.keys).sorted()
        #expect(undocumented.isEmpty, "declared in RuleCatalog but not in docs/rules.md: \(undocumented)")
        #expect(undeclared.isEmpty, "documented in docs/rules.md but not declared in RuleCatalog: \(undeclared)")
        for (id, level) in declared {
            guard let documented = docs[id] else { continue }
            let normalized = documented.replacingOccurrences(of: " / ", with: " or ")
            #expect(normalized == level, "\(id): docs say '\(documented)', the catalog '\(level)'")
        }
    }

    @Test func everyRuleIdTheCodeNamesIsDeclared() throws {
        let families = Set(RuleCatalog.all.map(\.family))
        let sources = Self.root.appendingPathComponent("Sources")
        let enumerator = FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil)
        var named: Set<String> = []
        let literal = try NSRegularExpression(pattern: #""([a-z]+)\.([a-z0-9]+(?:-[a-z0-9]+)*)""#)
        let familyTemplate = try NSRegularExpression(pattern: #""\\\(family\)\.([a-z0-9-]+)""#)
        while let url = enumerator?.nextObject() as? URL {
            guard url.pathExtension == "swift", url.lastPathComponent != "HarnessKeyData.swift" else { continue }
            let text = try String(contentsOf: url, encoding: .utf8)
            let range = NSRange(text.startIndex..., in: text)
            for m in literal.matches(in: text, range: range) {
                guard let f = Range(m.range(at: 1), in: text), let n = Range(m.range(at: 2), in: text) else { continue }
                let family = String(text[f])
                let name = String(text[n])
                // File names (pull.json, pull.lock) are not rule ids.
                guard families.contains(family), !["json", "lock", "yaml", "yml", "md", "log", "git", "swift"].contains(name) else { continue }
                named.insert("\(family).\(name)")
            }
            for m in familyTemplate.matches(in: text, range: range) {
                guard let n = Range(m.range(at: 1), in: text) else { continue }
                named.insert("yaml.\(text[n])")
                named.insert("json.\(text[n])")
            }
        }
        let undeclared = named.filter { !RuleCatalog.contains($0) }.sorted()
        #expect(undeclared.isEmpty, "rule ids in Sources/ that RuleCatalog does not declare: \(undeclared)")
        #expect(named.count > 50, "the scan found \(named.count) ids: it no longer sees the code's rule ids")
    }
}

import Foundation
import Testing

/// Whole corpora of inventories through `overlay inventory --list` and `ansible-inventory
/// --list`, compared byte for byte by `scripts/check-inventory-corpus.py`: the 24 written
/// for these tests (Tests/Fixtures/inventories/corpus) and, when the machine has it, the
/// 40 real-world inventories of the shared corpus (read in place, never copied).
@Suite struct InventoryCorpusParityTests {
    static let fixtures = PackagePaths.root.appendingPathComponent("Tests/Fixtures/inventories/corpus")
    /// The shared real-world corpus; `OVERLAY_INVENTORY_CORPUS` points elsewhere.
    static let realWorld = URL(
        fileURLWithPath: ProcessInfo.processInfo.environment["OVERLAY_INVENTORY_CORPUS"]
            ?? "/work/shared/corpora/inventory-real")

    /// The case folders of the fixture corpus.
    static let fixtureCases: [String] = {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: fixtures.path)) ?? []
        return names.filter { $0.first?.isNumber == true }.sorted()
    }()

    /// Runs the check script; returns its exit status and one line per case.
    static func check(_ corpus: URL, cases: [String] = []) throws -> OverlayResult {
        let script = PackagePaths.root.appendingPathComponent("scripts/check-inventory-corpus.py").path
        return try runProcess(
            "/usr/bin/env", ["python3", script, PackagePaths.binary.path, corpus.path] + cases, timeout: 600)
    }

    @Test func fixtureCorpusHasTheShapesItPromises() {
        #expect(Self.fixtureCases.count >= 20)
    }

    @Test(arguments: fixtureCases)
    func fixtureEqualsAnsible(_ name: String) throws {
        let r = try Self.check(Self.fixtures, cases: [name])
        #expect(r.stdout == "\(name): equal\n", "\(r.stdout)\(r.stderr)")
    }

    /// Every real-world inventory is equal, or refused where Ansible refuses; skipped when
    /// the corpus is not on this machine (CI), so the suite never depends on it.
    @Test(.enabled(if: FileManager.default.fileExists(atPath: realWorld.path)))
    func realWorldCorpusEqualsAnsible() throws {
        let r = try Self.check(Self.realWorld)
        let lines = r.stdout.split(separator: "\n")
        #expect(lines.count >= 40, "\(r.stdout)\(r.stderr)")
        let differing = lines.filter { $0.contains(": differs") }
        #expect(differing.isEmpty && r.status == 0, "\(differing.joined(separator: "\n"))\n\(r.stderr)")
    }
}

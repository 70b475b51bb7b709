import Foundation
import Testing

@testable import OverlayCore

/// Each folder in Tests/Fixtures/invalid holds files laid over the minimal valid repo
/// and an `expect` line `RULE FILE:LINE:COL`: exactly that one error must be reported.
/// An optional `remove` file lists repo paths (one a line) taken out of the minimal repo.
@Suite struct FixtureTests {
    static var invalidCases: [String] {
        let dir = Fixtures.root.appendingPathComponent("invalid")
        return ((try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []).sorted()
    }

    @Test(arguments: invalidCases)
    func invalidFixtureReportsItsOneProblem(name: String) throws {
        let folder = Fixtures.root.appendingPathComponent("invalid/\(name)")
        var files = Fixtures.files(in: Fixtures.root.appendingPathComponent("valid/minimal"))
        files["policy/config.schema.json"] = Fixtures.repoSchema
        for (k, v) in Fixtures.files(in: folder) where k != "expect" && k != "remove" { files[k] = v }
        let removed = (try? String(contentsOf: folder.appendingPathComponent("remove"), encoding: .utf8)) ?? ""
        for path in removed.split(whereSeparator: \.isNewline) { files[String(path)] = nil }
        let expect = try String(contentsOf: folder.appendingPathComponent("expect"), encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let repo = try TempRepo([:])
        defer { repo.remove() }
        for (k, v) in files { try repo.write(k, v) }
        let errors = repo.validate().diagnostics.filter { $0.severity == .error }
        let got = errors.map { "\($0.rule) \($0.file):\($0.line):\($0.column)" }
        #expect(got == [expect], "\(errors.map(\.description))")
    }

    @Test func minimalValidRepoIsClean() throws {
        var files = MinimalRepo.files
        files["policy/config.schema.json"] = String(decoding: Fixtures.repoSchema ?? Data(), as: UTF8.self)
        let repo = try TempRepo(files)
        defer { repo.remove() }
        #expect(repo.validate().diagnostics.isEmpty)
    }
}

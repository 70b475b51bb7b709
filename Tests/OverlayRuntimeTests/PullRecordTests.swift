import Foundation
import OverlayCore
import Testing

@testable import OverlayRuntime

/// What pull remembers between runs, in `pull.json`: loaded, changed, saved, bounded, and a
/// damaged file reported instead of forgotten.
@Suite struct PullRecordTests {
    let clock = ManualClock()
    static let a = String(repeating: "a", count: 40)
    static let b = String(repeating: "b", count: 40)

    func store(_ f: RuntimeFixture, limit: Int = 50) throws -> PullRecordStore {
        try FileManager.default.createDirectory(atPath: f.state.path, withIntermediateDirectories: true)
        return PullRecordStore(state: f.state, limit: limit)
    }

    @Test func aStateDirWithoutARecordHasAnEmptyOne() throws {
        let f = try RuntimeFixture()
        defer { f.cleanup() }
        #expect(try store(f).load() == PullRecord())
        #expect(!FileManager.default.fileExists(atPath: f.state.pullRecordPath))
    }

    @Test func appliedThenTheSameCommitAgainIsUnchanged() throws {
        let f = try RuntimeFixture()
        defer { f.cleanup() }
        let s = try store(f)
        try s.update { $0.recordApplied(commit: Self.a, ref: "main", generation: 3, at: clock.now()) }
        clock.advance(60)
        let record = try s.load()
        #expect(record.isApplied(Self.a) && !record.isApplied(Self.b))
        #expect(record.last?.result == .applied && record.last?.generation == 3)
        #expect(record.applied?.time == "2026-01-01T00:00:00Z")

        try s.update { $0.recordUnchanged(commit: Self.a, ref: "main", at: clock.now()) }
        let again = try s.load()
        #expect(again.last == PullAttempt(time: "2026-01-01T00:01:00Z", ref: "main", commit: Self.a, result: .unchanged, generation: 3))
        #expect(again.applied?.time == "2026-01-01T00:00:00Z")
    }

    @Test func aRejectedCommitKeepsItsDiagnosticsAndTheAppliedOneStays() throws {
        let f = try RuntimeFixture()
        defer { f.cleanup() }
        let s = try store(f)
        try s.update { $0.recordApplied(commit: Self.a, ref: "main", generation: 1, at: clock.now()) }
        let diagnostic = Diagnostic(
            file: "cron/definitions.yaml", at: Mark(line: 4, column: 9), rule: "cron.syntax", "'61' is not a minute")
        try s.update {
            $0.recordRejected(
                commit: Self.b, ref: "main",
                diagnostics: [PullDiagnostic(diagnostic), PullDiagnostic(rule: "pull.signature", message: "not signed")],
                at: clock.now())
        }
        let record = try s.load()
        #expect(record.applied?.commit == Self.a)
        #expect(record.last?.result == .rejected && record.last?.detail == "'61' is not a minute")
        let rejection = try #require(record.rejection(of: Self.b))
        #expect(rejection.diagnostics.count == 2)
        #expect(rejection.diagnostics[0].file == "cron/definitions.yaml" && rejection.diagnostics[0].line == 4)
        #expect(rejection.diagnostics[1].file == nil && rejection.diagnostics[1].rule == "pull.signature")

        // Rejected twice: one entry, the newest.
        clock.advance(5)
        try s.update { $0.recordRejected(commit: Self.b, ref: "main", diagnostics: [], at: clock.now()) }
        #expect(try s.load().rejected.map(\.time) == ["2026-01-01T00:00:05Z"])
    }

    @Test func aBadCommitIsSkippedUntilResetClearsIt() throws {
        let f = try RuntimeFixture()
        defer { f.cleanup() }
        let s = try store(f)
        try s.update { $0.markBad(commit: Self.b, generation: 7, reason: "deadman rolled back to generation 6", at: clock.now()) }
        var record = try s.load()
        #expect(record.badMark(for: Self.b)?.generation == 7)
        #expect(record.badMark(for: Self.a) == nil)  // the ref moved on: another commit is not bad

        try s.update { $0.recordSkipped(commit: Self.b, ref: "main", reason: "marked bad", at: clock.now()) }
        #expect(try s.load().last?.result == .skipped)

        try s.update { #expect($0.clearBad() == [Self.b]) }
        record = try s.load()
        #expect(record.bad.isEmpty && record.badMark(for: Self.b) == nil)
    }

    @Test func aFailedFetchIsRecordedWithoutACommit() throws {
        let f = try RuntimeFixture()
        defer { f.cleanup() }
        let s = try store(f)
        try s.update { $0.recordFailed(ref: "main", reason: "cannot fetch main from /srv/x.git", at: clock.now()) }
        let last = try #require(try s.load().last)
        #expect(last.result == .failed && last.commit == nil && last.detail?.contains("/srv/x.git") == true)
    }

    @Test func theRecordStaysBounded() throws {
        let f = try RuntimeFixture()
        defer { f.cleanup() }
        let s = try store(f, limit: 3)
        for i in 0..<5 {
            let id = String(repeating: String(i), count: 40)
            try s.update {
                $0.recordRejected(commit: id, ref: "main", diagnostics: [], at: clock.now())
                $0.markBad(commit: id, generation: i, reason: "r", at: clock.now())
            }
        }
        let many = (0..<250).map { PullDiagnostic(rule: "r.x", message: "problem \($0) " + String(repeating: "x", count: 5000)) }
        try s.update { $0.recordRejected(commit: Self.a, ref: "main", diagnostics: many, at: clock.now()) }
        let record = try s.load()
        #expect(record.rejected.map { $0.commit.prefix(1) } == ["3", "4", "a"])
        #expect(record.bad.map { $0.commit.prefix(1) } == ["2", "3", "4"])
        let last = try #require(record.rejection(of: Self.a))
        #expect(last.diagnostics.count == PullRecord.diagnosticsLimit && last.omitted == 150)
        #expect(last.diagnostics.allSatisfy { $0.message.count <= PullDiagnostic.messageLimit })
        let size = try FileManager.default.attributesOfItem(atPath: s.path)[.size] as? Int ?? 0
        #expect(size < 400_000)
    }

    @Test func theFileIsWrittenAtomicallyAndPrivately() throws {
        let f = try RuntimeFixture()
        defer { f.cleanup() }
        let s = try store(f)
        try s.update { $0.recordApplied(commit: Self.a, ref: "main", generation: 1, at: clock.now()) }
        let attributes = try FileManager.default.attributesOfItem(atPath: s.path)
        #expect(attributes[.posixPermissions] as? Int == 0o600)
        #expect(try FileManager.default.contentsOfDirectory(atPath: f.state.path) == ["pull.json"])
        // Plain JSON another tool can read.
        let json = try JSONSerialization.jsonObject(with: try Data(contentsOf: URL(fileURLWithPath: s.path))) as? [String: Any]
        #expect((json?["applied"] as? [String: Any])?["commit"] as? String == Self.a)
    }

    /// Damaged files, each reported as `corrupt` with the path (never a crash, never an
    /// empty record that would forget the bad commits).
    @Test(arguments: [
        ("{not json", "not valid JSON"),
        ("", "not valid JSON"),
        (#"{"version": 1, "rejected": [], "bad": "x"}"#, "wrong type at .bad"),
        (#"{"version": 1, "rejected": []}"#, "'bad' is missing"),
        (#"{"version": 2, "rejected": [], "bad": []}"#, "newer overlay"),
        (#"{"version": 1, "rejected": [], "bad": [{"commit": 5}]}"#, "wrong type at .bad[0].commit"),
    ])
    func aDamagedFileIsReportedNotForgotten(text: String, words: String) throws {
        let f = try RuntimeFixture()
        defer { f.cleanup() }
        let s = try store(f)
        try text.write(toFile: s.path, atomically: true, encoding: .utf8)
        let error = #expect(throws: PullRecordError.self) { try s.load() }
        guard case .corrupt(let path, let reason) = error else {
            Issue.record("expected corrupt, got \(String(describing: error))")
            return
        }
        #expect(path == s.path && reason.contains(words), "\(reason)")
        #expect(error?.description.contains("move it away") == true)
        // update refuses too, and leaves the file for a person to look at.
        #expect(throws: PullRecordError.self) { try s.update { $0.clearBad() } }
        #expect(try String(contentsOfFile: s.path, encoding: .utf8) == text)
    }

    @Test func aFolderOrAHugeFileInItsPlaceIsReported() throws {
        let f = try RuntimeFixture()
        defer { f.cleanup() }
        let s = try store(f)
        try FileManager.default.createDirectory(atPath: s.path, withIntermediateDirectories: true)
        #expect(throws: PullRecordError.corrupt(path: s.path, reason: "not a regular file")) { try s.load() }
        try FileManager.default.removeItem(atPath: s.path)
        FileManager.default.createFile(atPath: s.path, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: s.path))
        try handle.truncate(atOffset: 9 << 20)
        try handle.close()
        let error = #expect(throws: PullRecordError.self) { try s.load() }
        #expect(error?.description.contains("more than a pull record ever holds") == true)
    }
}

import Foundation
import Testing

@testable import OverlayRuntime

@Suite struct LineDiffTests {
    /// GNU `diff -u` output without its two header lines (the oracle).
    func gnuDiff(_ old: String, _ new: String) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("linediff-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try old.write(to: dir.appendingPathComponent("o"), atomically: true, encoding: .utf8)
        try new.write(to: dir.appendingPathComponent("n"), atomically: true, encoding: .utf8)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/diff")
        p.arguments = ["-u", dir.appendingPathComponent("o").path, dir.appendingPathComponent("n").path]
        let pipe = Pipe()
        p.standardOutput = pipe
        try p.run()
        let out = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        return out.split(separator: "\n", omittingEmptySubsequences: false).dropFirst(2).joined(separator: "\n")
    }

    func ours(_ old: String, _ new: String) -> String {
        LineDiff.unified(old: Data(old.utf8), new: Data(new.utf8), path: "/x", secret: false)
            .split(separator: "\n", omittingEmptySubsequences: false).dropFirst(2).joined(separator: "\n")
    }

    @Test func changedLineMatchesGNUDiff() throws {
        #expect(ours("a\nb\nc\n", "a\nB\nc\n") == (try gnuDiff("a\nb\nc\n", "a\nB\nc\n")))
    }

    @Test func distantChangesMakeTwoHunksLikeGNUDiff() throws {
        let old = (1...30).map { "line \($0)\n" }.joined()
        let new = old.replacingOccurrences(of: "line 3\n", with: "three\n").replacingOccurrences(of: "line 25\n", with: "")
        #expect(ours(old, new) == (try gnuDiff(old, new)))
    }

    @Test func secretContentIsRedacted() {
        let d = LineDiff.unified(old: Data("KEY=1\n".utf8), new: Data("KEY=2\n".utf8), path: "/k", secret: true)
        #expect(d.contains("<redacted>") && !d.contains("KEY"))
    }

    @Test func secretFileWithARedactedTextShowsItsOtherLines() {
        let d = LineDiff.unified(
            old: Data("model: a\nkey: old-secret\n".utf8), new: Data("model: b\nkey: new-secret\n".utf8), path: "/p",
            secret: true, redactedNew: Data("model: b\nkey: <redacted>\n".utf8))
        #expect(d.contains("+model: b\n+key: <redacted>\n"), "\(d)")
        #expect(!d.contains("old-secret") && !d.contains("new-secret") && !d.contains("model: a"), "removed lines are hidden")
    }

    @Test func aRedactedTextThatDoesNotLineUpHidesEverything() {
        let d = LineDiff.unified(
            old: Data("a\n".utf8), new: Data("b\nmulti\nline-secret\n".utf8), path: "/p", secret: true,
            redactedNew: Data("b\n<redacted>\n".utf8))
        #expect(d.hasSuffix("+++ b/p\n<redacted>\n") && !d.contains("line-secret"), "\(d)")
    }
}

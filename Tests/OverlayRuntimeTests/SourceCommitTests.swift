import Foundation
import Testing

@testable import OverlayRuntime

/// The commit a generation records, read from a real git checkout.
@Suite struct SourceCommitTests {
    /// A fresh repo with one commit; returns its folder and HEAD as git prints it.
    func makeRepo() throws -> (root: String, head: String) {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("source-commit-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        try "soul\n".write(toFile: root + "/SOUL.md", atomically: true, encoding: .utf8)
        for args in [
            ["init", "-q", "-b", "main"], ["add", "SOUL.md"],
            ["-c", "user.name=t", "-c", "user.email=t@example.invalid", "commit", "-q", "-m", "one"],
        ] {
            #expect(try git(root, args).status == 0)
        }
        let head = String(decoding: try git(root, ["rev-parse", "HEAD"]).output, as: UTF8.self)
        return (root, head.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    func git(_ root: String, _ args: [String]) throws -> ChildResult {
        try ChildProcess("/usr/bin/git", ["-C", root] + args).run()
    }

    @Test func aCleanCheckoutRecordsHead() throws {
        let (root, head) = try makeRepo()
        defer { try? FileManager.default.removeItem(atPath: root) }
        #expect(head.count == 40)
        #expect(SourceCommit.describe(root: root) == head)
        // Untracked files are not part of the commit's content and do not make it dirty.
        try "scratch\n".write(toFile: root + "/notes.txt", atomically: true, encoding: .utf8)
        #expect(SourceCommit.describe(root: root) == head)
    }

    @Test func anEditedTrackedFileMarksTheCommitDirty() throws {
        let (root, head) = try makeRepo()
        defer { try? FileManager.default.removeItem(atPath: root) }
        try "edited soul\n".write(toFile: root + "/SOUL.md", atomically: true, encoding: .utf8)
        #expect(SourceCommit.describe(root: root) == head + "-dirty")
        #expect(SourceCommit.read(root: root) == head)
    }

    @Test func packedRefsAreFollowed() throws {
        let (root, head) = try makeRepo()
        defer { try? FileManager.default.removeItem(atPath: root) }
        #expect(try git(root, ["pack-refs", "--all"]).status == 0)
        #expect(!FileManager.default.fileExists(atPath: root + "/.git/refs/heads/main"))
        #expect(SourceCommit.read(root: root) == head)
    }

    @Test func aFolderThatIsNoCheckoutHasNoCommit() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("no-git-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: root) }
        #expect(SourceCommit.describe(root: root) == nil)
    }
}

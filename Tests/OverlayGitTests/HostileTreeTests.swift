import Foundation
import Testing

@testable import OverlayGit

/// Trees that `git add` would never make, written with git's plumbing into the origin,
/// fetched like any push, and refused before anything reaches the staging folder.
@Suite struct HostileTreeTests {
    typealias Entry = GitFixture.RawEntry

    /// One hostile tree: how to build it, and what the refusal must mention.
    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        let expect: String
        let build: @Sendable (GitFixture, _ blob: String) throws -> [Entry]
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: ".git folder", expect: "'.git'") { f, blob in
            [Entry("40000", ".git", try f.rawTree([Entry("100644", "HEAD", blob)]))]
        },
        Case(name: ".GIT in a subfolder", expect: "'.git'") { f, blob in
            [Entry("40000", "sub", try f.rawTree([Entry("40000", ".GIT", try f.rawTree([Entry("100644", "config", blob)]))]))]
        },
        Case(name: ".git as a file", expect: "'.git'") { _, blob in [Entry("100644", ".git", blob)] },
        Case(name: "dot-dot", expect: "not a plain file name") { f, blob in
            [Entry("40000", "..", try f.rawTree([Entry("100644", "escape", blob)]))]
        },
        Case(name: "dot", expect: "not a plain file name") { _, blob in [Entry("100644", ".", blob)] },
        Case(name: "slash in a name", expect: "not a plain file name") { _, blob in [Entry("100644", "a/../../x", blob)] },
        Case(name: "newline in a name", expect: "control characters") { _, blob in [Entry("100644", "a\nb", blob)] },
        Case(name: "name not UTF-8", expect: "not valid UTF-8") { _, blob in [Entry("100644", [0x66, 0xff, 0xfe], blob)] },
        Case(name: "absolute symlink", expect: "points outside the tree (to /etc/passwd)") { f, _ in
            [Entry("120000", "passwd", try f.blob("/etc/passwd"))]
        },
        Case(name: "relative symlink out", expect: "points outside the tree") { f, _ in
            [Entry("40000", "sub", try f.rawTree([Entry("120000", "up", try f.blob("../../outside"))]))]
        },
        Case(name: "chained symlinks out", expect: "points outside the tree (to a/..)") { f, _ in
            // Each target alone stays inside; together they leave: b -> a/.. with a -> .
            [Entry("120000", "a", try f.blob(".")), Entry("120000", "b", try f.blob("a/.."))]
        },
        Case(name: "duplicate names", expect: "twice") { f, blob in
            [Entry("120000", "x", try f.blob("y")), Entry("40000", "x", try f.rawTree([Entry("100644", "f", blob)]))]
        },
        Case(name: "blob mode on a tree", expect: "not a file") { f, blob in
            [Entry("100644", "fake", try f.rawTree([Entry("100644", "f", blob)]))]
        },
        Case(name: "empty symlink target", expect: "empty") { f, _ in [Entry("120000", "l", try f.blob(""))] },
    ]

    @Test(arguments: cases)
    func aHostileTreeIsRefusedAndNothingIsWritten(_ c: Case) throws {
        let f = try GitFixture()
        defer { f.cleanup() }
        try f.commit("good", ["a": "a\n"])
        let blob = try f.blob("payload\n")
        let tree = try f.rawTree([Entry("100644", "ok.txt", blob)] + c.build(f, blob))
        let id = try f.commitTree(tree, branch: "evil")
        let mirror = GitMirror(remote: f.bare, path: f.mirrorPath)
        #expect(try mirror.fetch(ref: "evil").id == id)

        let staging = f.root + "/state/staging"
        let error = #expect(throws: GitError.self) { try mirror.materialize(commit: id, into: staging) }
        guard case .unsafeEntry(let commit, _, _) = error else {
            Issue.record("expected unsafeEntry, got \(String(describing: error))")
            return
        }
        #expect(commit == id)
        #expect(error?.description.contains(c.expect) == true, "\(error?.description ?? "")")
        #expect(!FileManager.default.fileExists(atPath: staging))
        #expect(f.leftovers(near: staging).isEmpty)
        #expect(!FileManager.default.fileExists(atPath: f.root + "/state/escape"))
    }

    @Test func aSubmoduleIsReportedAsUnsupported() throws {
        let f = try GitFixture()
        defer { f.cleanup() }
        let inner = try f.commit("inner", ["a": "a\n"])
        let tree = try f.rawTree([Entry("160000", "vendored", inner)])
        let id = try f.commitTree(tree, branch: "sub")
        let mirror = GitMirror(remote: f.bare, path: f.mirrorPath)
        _ = try mirror.fetch(ref: "sub")
        #expect(throws: GitError.unsupportedEntry(commit: id, path: "vendored", kind: "submodule")) {
            try mirror.materialize(commit: id, into: f.root + "/staging")
        }
    }

    @Test func treesPastTheLimitsAreRefusedBeforeAnythingIsRead() throws {
        let f = try GitFixture()
        defer { f.cleanup() }
        var files: [String: String] = ["big": String(repeating: "x", count: 5000)]
        for i in 0..<20 { files["many/\(i)"] = "\(i)\n" }
        files["d1/d2/d3/d4/d5/leaf"] = "deep\n"
        let id = try f.commit("large", files)
        let mirror = GitMirror(remote: f.bare, path: f.mirrorPath)
        _ = try mirror.fetch(ref: "main")
        let staging = f.root + "/staging"
        let limits: [(MaterializeLimits, String)] = [
            (MaterializeLimits(maxFileBytes: 4096), "'big' is 5000 bytes"),
            (MaterializeLimits(maxTotalBytes: 4999), "add up to more than 4999 bytes"),
            (MaterializeLimits(maxEntries: 10), "more than 10 entries"),
            (MaterializeLimits(maxDepth: 4), "nested deeper than 4"),
        ]
        for (limit, words) in limits {
            let error = #expect(throws: GitError.self) { try mirror.materialize(commit: id, into: staging, limits: limit) }
            #expect(error?.description.contains(words) == true, "\(error?.description ?? "")")
            #expect(!FileManager.default.fileExists(atPath: staging))
        }
        #expect(try mirror.materialize(commit: id, into: staging).files == 22)
    }

    @Test func aWebOfLongSymlinksIsRefusedInBoundedTime() throws {
        let f = try GitFixture()
        defer { f.cleanup() }
        // 1,300 links sharing one 4 KB target that walks in and out of a folder 800 times.
        let target = try f.blob(Array(repeating: "a/..", count: 800).joined(separator: "/"))
        let a = try f.rawTree([Entry("100644", "f", try f.blob("x"))])
        let links = (0..<1300).map { Entry("120000", String(format: "l%04d", $0), target) }
        let id = try f.commitTree(try f.rawTree([Entry("40000", "a", a)] + links), branch: "web")
        let mirror = GitMirror(remote: f.bare, path: f.mirrorPath)
        _ = try mirror.fetch(ref: "web")
        let start = ContinuousClock.now
        let error = #expect(throws: GitError.self) { try mirror.materialize(commit: id, into: f.root + "/staging") }
        #expect(ContinuousClock.now - start < .seconds(20))
        #expect(error?.description.contains("too tangled") == true, "\(error?.description ?? "")")
    }

    @Test func symlinksThatStayInsideAreKept() throws {
        let f = try GitFixture()
        defer { f.cleanup() }
        let blob = try f.blob("x\n")
        let sub = try f.rawTree([Entry("100644", "f", blob), Entry("120000", "up", try f.blob("../top"))])
        let tree = try f.rawTree([
            Entry("40000", "sub", sub), Entry("120000", "self", try f.blob(".")), Entry("120000", "top", try f.blob("sub/f")),
            Entry("120000", "dangling", try f.blob("no/such/../../../x")),
        ])
        let id = try f.commitTree(tree, branch: "links")
        let mirror = GitMirror(remote: f.bare, path: f.mirrorPath)
        _ = try mirror.fetch(ref: "links")
        let tree2 = try mirror.materialize(commit: id, into: f.root + "/staging")
        #expect(tree2.symlinks == 4 && tree2.files == 1)
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: f.root + "/staging/sub/up") == "../top")
    }
}

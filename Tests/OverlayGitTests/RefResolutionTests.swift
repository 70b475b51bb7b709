import Foundation
import Testing

@testable import OverlayGit

/// Which commit a ref names: a branch, a tag (annotated or not), a full ref.
@Suite struct RefResolutionTests {
    @Test func branchesTagsAndFullRefsResolveToTheirCommits() throws {
        let f = try GitFixture()
        defer { f.cleanup() }
        let one = try f.commit("one", ["a": "1\n"])
        try f.git(["tag", "-a", "v1", "-m", "release one"])
        try f.git(["tag", "light"])
        let two = try f.commit("two", ["a": "2\n"])
        try f.git(["push", "-q", "origin", "HEAD:refs/heads/release", "refs/tags/v1", "refs/tags/light"])
        try f.git(["push", "-q", "origin", "\(one):refs/heads/stable", "\(one):refs/overlay/pinned"])
        let mirror = GitMirror(remote: f.bare, path: f.mirrorPath)

        #expect(try mirror.fetch(ref: "main").id == two)
        #expect(try mirror.fetch(ref: "refs/heads/main").id == two)
        #expect(try mirror.fetch(ref: "v1").id == one)  // an annotated tag, peeled to its commit
        #expect(try mirror.fetch(ref: "refs/tags/v1").id == one)
        #expect(try mirror.fetch(ref: "light").id == one)
        #expect(try mirror.fetch(ref: "stable").id == one)
        #expect(try mirror.fetch(ref: "refs/overlay/pinned").id == one)
        #expect(try mirror.fetch(ref: "release").id == two)
    }

    @Test func aBranchWinsOverATagOfTheSameName() throws {
        let f = try GitFixture()
        defer { f.cleanup() }
        let one = try f.commit("one", ["a": "1\n"])
        try f.git(["tag", "deploy"])
        let two = try f.commit("two", ["a": "2\n"])
        try f.git(["push", "-q", "origin", "HEAD:refs/heads/deploy", "refs/tags/deploy"])
        let mirror = GitMirror(remote: f.bare, path: f.mirrorPath)
        #expect(try mirror.fetch(ref: "deploy").id == two)
        #expect(try mirror.fetch(ref: "refs/tags/deploy").id == one)
    }

    @Test func aTagOfATreeIsNotACommit() throws {
        let f = try GitFixture()
        defer { f.cleanup() }
        try f.commit("one", ["a": "1\n"])
        let tree = try f.git(["rev-parse", "HEAD^{tree}"])
        try f.git(["tag", "just-a-tree", tree])
        try f.git(["push", "-q", "origin", "refs/tags/just-a-tree"])
        #expect(throws: GitError.notACommit(remote: f.bare, ref: "refs/tags/just-a-tree")) {
            try GitMirror(remote: f.bare, path: f.mirrorPath).fetch(ref: "just-a-tree")
        }
    }

    @Test func aMovedTagIsFollowed() throws {
        let f = try GitFixture()
        defer { f.cleanup() }
        try f.commit("one", ["a": "1\n"])
        try f.git(["tag", "live"])
        try f.git(["push", "-q", "origin", "refs/tags/live"])
        let mirror = GitMirror(remote: f.bare, path: f.mirrorPath)
        _ = try mirror.fetch(ref: "live")
        let two = try f.commit("two", ["a": "2\n"])
        try f.git(["tag", "-f", "live"])
        try f.git(["push", "-q", "-f", "origin", "refs/tags/live"])
        #expect(try mirror.fetch(ref: "live").id == two)
    }
}

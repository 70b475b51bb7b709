import Foundation
import OverlayRuntime
import Testing

@testable import OverlayGit

/// Clone once, fetch after, against real repositories made with the git CLI.
@Suite struct MirrorFetchTests {
    @Test func cloneThenFetchSeesANewCommit() throws {
        let f = try GitFixture()
        defer { f.cleanup() }
        let first = try f.commit("first", ["SOUL.md": "one\n"])
        let mirror = GitMirror(remote: f.bare, path: f.mirrorPath)

        let cloned = try mirror.fetch(ref: "main")
        #expect(cloned.id == first)
        #expect(cloned.subject == "first")
        #expect(cloned.authorName == "Ada Author" && cloned.authorEmail == "ada@example.invalid")
        #expect(cloned.time == (try f.git(["log", "-1", "--format=%ad", "--date=format-local:%Y-%m-%dT%H:%M:%SZ"], env: ["TZ": "UTC"])))
        // A real bare repository that git itself reads.
        #expect(try f.git(["rev-parse", "--is-bare-repository"], in: f.mirrorPath) == "true")

        let second = try f.commit("second: a longer subject\n\nwith a body", ["SOUL.md": "two\n"])
        let fetched = try mirror.fetch(ref: "main")
        #expect(fetched.id == second)
        #expect(fetched.subject == "second: a longer subject")
        #expect(try mirror.resolve(ref: "main") == fetched)
        #expect(f.leftovers(near: f.mirrorPath).isEmpty)
    }

    @Test func aFileURLAndARelativePathWork() throws {
        let f = try GitFixture()
        defer { f.cleanup() }
        let id = try f.commit("c", ["a": "a\n"])
        #expect(try GitMirror(remote: "file://" + f.bare, path: f.root + "/m1.git").fetch(ref: "main").id == id)
        let relative = GitRemote("origin.git", relativeTo: f.root)
        #expect(relative.url == f.bare)
        #expect(try GitMirror(remote: relative, path: f.root + "/m2.git").fetch(ref: "main").id == id)
    }

    @Test func aFetchFromAMissingRemoteFailsAndLeavesTheMirror() throws {
        let f = try GitFixture()
        defer { f.cleanup() }
        let id = try f.commit("c", ["a": "a\n"])
        let mirror = GitMirror(remote: f.bare, path: f.mirrorPath)
        _ = try mirror.fetch(ref: "main")
        let before = try f.refs(of: f.mirrorPath)
        try FileManager.default.moveItem(atPath: f.bare, toPath: f.root + "/gone.git")

        let error = #expect(throws: GitError.self) { try mirror.fetch(ref: "main") }
        guard case .fetchFailed(let remote, let ref, let reason) = error else {
            Issue.record("expected fetchFailed, got \(String(describing: error))")
            return
        }
        #expect(remote == f.bare && ref == "main" && !reason.isEmpty)
        #expect(error?.description.contains("cannot fetch main from \(f.bare): there is no repository at \(f.bare)") == true)
        #expect(try f.refs(of: f.mirrorPath) == before)
        #expect(try mirror.resolve(ref: "main").id == id)
    }

    @Test func aFirstCloneThatFailsLeavesNoMirror() throws {
        let f = try GitFixture()
        defer { f.cleanup() }
        let mirror = GitMirror(remote: f.root + "/nothing-here.git", path: f.mirrorPath)
        let error = #expect(throws: GitError.self) { try mirror.fetch(ref: "main") }
        #expect(error?.description.contains("cannot clone \(f.root)/nothing-here.git") == true)
        #expect(!FileManager.default.fileExists(atPath: f.mirrorPath))
        #expect(f.leftovers(near: f.mirrorPath).isEmpty)
    }

    @Test func aKilledCloneLeavesNothingBehindTheNextOne() throws {
        let f = try GitFixture()
        defer { f.cleanup() }
        let id = try f.commit("c", ["a": "a\n"])
        let killed = f.root + "/state/.mirror.git.clone-dead0000"
        try FileManager.default.createDirectory(atPath: killed + "/objects", withIntermediateDirectories: true)
        #expect(try GitMirror(remote: f.bare, path: f.mirrorPath).fetch(ref: "main").id == id)
        #expect(f.leftovers(near: f.mirrorPath).isEmpty)
    }

    @Test func aRemoteWithoutTheRefSaysWhichRefAndWhere() throws {
        let f = try GitFixture()
        defer { f.cleanup() }
        try f.commit("c", ["a": "a\n"])
        let mirror = GitMirror(remote: f.bare, path: f.mirrorPath)
        #expect(throws: GitError.refNotFound(remote: f.bare, ref: "nope", tried: ["refs/heads/nope", "refs/tags/nope"])) {
            try mirror.fetch(ref: "nope")
        }
        // Nothing was cloned for a ref that does not exist.
        #expect(!FileManager.default.fileExists(atPath: f.mirrorPath))
    }

    @Test(arguments: ["", "main:refs/heads/x", "+refs/*:refs/*", "a..b", "main~1", "has space", "refs/heads/*", "x\u{1b}[2J"])
    func aNameThatCannotBeARefIsRefusedBeforeAnyFetch(ref: String) throws {
        let f = try GitFixture()
        defer { f.cleanup() }
        try f.commit("c", ["a": "a\n"])
        #expect(throws: GitError.invalidRef(ref)) { try GitMirror(remote: f.bare, path: f.mirrorPath).fetch(ref: ref) }
        #expect(!FileManager.default.fileExists(atPath: f.mirrorPath))
    }

    @Test func aDeletedBranchIsNoLongerResolvedAndAForcePushIsFollowed() throws {
        let f = try GitFixture()
        defer { f.cleanup() }
        let first = try f.commit("one", ["a": "1\n"])
        try f.commit("two", ["a": "2\n"])
        try f.git(["push", "-q", "origin", "HEAD:refs/heads/feature"])
        let mirror = GitMirror(remote: f.bare, path: f.mirrorPath)
        _ = try mirror.fetch(ref: "feature")

        try f.git(["push", "-q", "origin", ":refs/heads/feature"])
        #expect(throws: GitError.self) { try mirror.fetch(ref: "feature") }
        #expect(throws: GitError.self) { try mirror.resolve(ref: "feature") }

        try f.git(["reset", "-q", "--hard", first])
        try f.git(["push", "-q", "-f", "origin", "HEAD:refs/heads/main"])
        #expect(try mirror.fetch(ref: "main").id == first)
    }

    @Test func aFetchOverTheSizeLimitIsStoppedAndChangesNothing() throws {
        let f = try GitFixture()
        defer { f.cleanup() }
        let small = try f.commit("small", ["a": "a\n"])
        var mirror = GitMirror(remote: f.bare, path: f.mirrorPath)
        _ = try mirror.fetch(ref: "main")
        let before = try f.refs(of: f.mirrorPath)
        // Random bytes do not compress: the pack is as large as the file.
        var noise = [UInt8](repeating: 0, count: 256 << 10)
        for i in noise.indices { noise[i] = UInt8.random(in: 0...255) }
        try f.write("big.bin", Data(noise))
        try f.commit("big")

        mirror.transport.maxFetchBytes = 64 << 10
        let error = #expect(throws: GitError.self) { try mirror.fetch(ref: "main") }
        #expect(error?.description.contains("fetch limit") == true)
        #expect(try f.refs(of: f.mirrorPath) == before)
        #expect(try mirror.resolve(ref: "main").id == small)
    }

    @Test func aLockFileLeftByAnInterruptedFetchDoesNotWedgeTheMirror() throws {
        let f = try GitFixture()
        defer { f.cleanup() }
        try f.commit("one", ["a": "1\n"])
        let mirror = GitMirror(remote: f.bare, path: f.mirrorPath)
        _ = try mirror.fetch(ref: "main")
        let lock = f.mirrorPath + "/refs/heads/main.lock"
        let pack = f.mirrorPath + "/objects/pack/pack_git2_AbCdEf"
        _ = FileManager.default.createFile(atPath: lock, contents: Data("0000\n".utf8))
        _ = FileManager.default.createFile(atPath: pack, contents: Data("PACK".utf8))
        let two = try f.commit("two", ["a": "2\n"])
        // Touched just now, however slowly the commit above ran.
        try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(60)], ofItemAtPath: lock)

        // A fresh lock may be a person's git at work in the mirror: it is left alone, and the error says why.
        let error = #expect(throws: GitError.self) { try mirror.fetch(ref: "main") }
        #expect(error?.description.contains("left by an interrupted fetch") == true, "\(error?.description ?? "")")

        // Once it is old it is abandoned: removed, and the fetch goes through.
        let old = Date().addingTimeInterval(-2 * 3600)
        for path in [lock, pack] { try FileManager.default.setAttributes([.modificationDate: old], ofItemAtPath: path) }
        #expect(try mirror.fetch(ref: "main").id == two)
        #expect(!FileManager.default.fileExists(atPath: lock) && !FileManager.default.fileExists(atPath: pack))
    }

    @Test func concurrentFetchesOfOneMirrorAllSucceed() throws {
        let f = try GitFixture()
        defer { f.cleanup() }
        let one = try f.commit("one", ["a": "1\n"])
        let mirror = GitMirror(remote: f.bare, path: f.mirrorPath)
        // Eight first fetches at once: one clones, the others wait for it and fetch into its mirror.
        let first = Outcomes()
        DispatchQueue.concurrentPerform(iterations: 8) { _ in first.add(Result { () throws(GitError) in try mirror.fetch(ref: "main").id })
        }
        #expect(first.ids == Array(repeating: one, count: 8), "\(first.all)")
        #expect(f.leftovers(near: f.mirrorPath).isEmpty)

        let two = try f.commit("two", ["a": "2\n"])
        let second = Outcomes()
        DispatchQueue.concurrentPerform(iterations: 8) { _ in second.add(Result { () throws(GitError) in try mirror.fetch(ref: "main").id })
        }
        #expect(second.ids == Array(repeating: two, count: 8), "\(second.all.map { "\($0)" }.joined(separator: "\n"))")
    }

    @Test func aFetchWaitsForAnotherAndGivesUpAfterItsTimeout() throws {
        let f = try GitFixture()
        defer { f.cleanup() }
        try f.commit("one", ["a": "1\n"])
        var mirror = GitMirror(remote: f.bare, path: f.mirrorPath)
        _ = try mirror.fetch(ref: "main")
        // Another process holding the fetch lock, as a long fetch would.
        let fd = open(f.root + "/state/.mirror.git.fetch-lock", O_RDWR)
        #expect(fd >= 0 && flock(fd, LOCK_EX) == 0)
        mirror.lockTimeout = .milliseconds(200)
        #expect(throws: GitError.mirrorBusy(mirror: f.mirrorPath, waited: .milliseconds(200))) { try mirror.fetch(ref: "main") }
        close(fd)
        #expect(try mirror.fetch(ref: "main").subject == "one")
    }

    /// Results gathered from several threads.
    final class Outcomes: @unchecked Sendable {
        private let lock = NSLock()
        private(set) var all: [Result<String, GitError>] = []
        func add(_ r: Result<String, GitError>) {
            lock.lock()
            all.append(r)
            lock.unlock()
        }
        var ids: [String] { all.compactMap { try? $0.get() } }
    }

    @Test(.enabled(if: geteuid() == 0, "needs root to give the origin to another user"))
    func anOriginOwnedByAnotherUserIsExplained() throws {
        let f = try GitFixture()
        defer { f.cleanup() }
        try f.commit("one", ["a": "1\n"])
        #expect(try ChildProcess("/bin/chown", ["-R", "nobody", f.bare]).run().status == 0)
        let error = #expect(throws: GitError.self) { try GitMirror(remote: f.bare, path: f.mirrorPath).fetch(ref: "main") }
        #expect(error?.description.contains("belongs to another user") == true, "\(error?.description ?? "")")
        #expect(error?.description.contains("safe.directory \(f.bare)") == true)
    }

    @Test func aFolderThatIsNoRepositoryIsNotUsedAsTheMirror() throws {
        let f = try GitFixture()
        defer { f.cleanup() }
        try f.commit("c", ["a": "a\n"])
        try FileManager.default.createDirectory(atPath: f.mirrorPath, withIntermediateDirectories: true)
        try "x".write(toFile: f.mirrorPath + "/junk", atomically: true, encoding: .utf8)
        let error = #expect(throws: GitError.self) { try GitMirror(remote: f.bare, path: f.mirrorPath).fetch(ref: "main") }
        guard case .unusableMirror(let path, _) = error else {
            Issue.record("expected unusableMirror, got \(String(describing: error))")
            return
        }
        #expect(path == f.mirrorPath)
    }

    @Test func hostileCommitTextIsMadePrintable() throws {
        let f = try GitFixture()
        defer { f.cleanup() }
        try f.commit(
            "deploy \u{1b}]0;pwned\u{07}\u{1b}[2J now", ["a": "a\n"],
            extra: ["-c", "user.name=Eve\u{1b}[31m", "-c", "user.email=eve@example.invalid"])
        try f.git(["commit", "-q", "--amend", "--no-edit", "--reset-author"], env: ["GIT_AUTHOR_NAME": "Eve\u{1b}[31m"])
        try f.git(["push", "-q", "-f", "origin", "HEAD:refs/heads/main"])
        let info = try GitMirror(remote: f.bare, path: f.mirrorPath).fetch(ref: "main")
        #expect(!info.subject.unicodeScalars.contains { $0.value < 0x20 })
        #expect(!info.authorName.unicodeScalars.contains { $0.value < 0x20 })
        #expect(info.subject.hasPrefix("deploy "))
    }

    @Test func credentialsInARemoteURLAreNeverShown() {
        #expect(GitRemote("https://bot:s3cret@git.example/o/r.git").description == "https://bot:***@git.example/o/r.git")
        #expect(GitRemote("https://ghp_token@github.com/o/r").description == "https://***@github.com/o/r")
        #expect(GitRemote("ssh://git@host:2222/o/r").description == "ssh://git@host:2222/o/r")
        #expect(GitRemote("git@host:o/r.git").sshEndpoint?.host == "host")
        #expect(GitRemote("ssh://git@host:2222/o/r").sshEndpoint?.port == 2222)
        let error = GitError.fetchFailed(remote: GitRemote("https://bot:s3cret@h/r").description, ref: "main", reason: "down")
        #expect(!error.description.contains("s3cret"))
        // A token in the query string (GitLab's private_token, a presigned URL).
        let query = GitRemote("https://git.example/o/r.git?private_token=glpat-abcdef&ref=x")
        #expect(query.description == "https://git.example/o/r.git?private_token=***&ref=***")
        #expect(!query.scrubbed("cannot reach https://git.example/o/r.git?private_token=glpat-abcdef").contains("glpat-abcdef"))
    }
}

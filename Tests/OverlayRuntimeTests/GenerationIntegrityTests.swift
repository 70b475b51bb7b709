import Foundation
import OverlayCore
import Testing

@testable import OverlayRuntime

extension RuntimeFixture {
    /// What root can do despite the read-only generation file: append through the home's symlink.
    func editThroughSymlink(_ rel: String, appending text: String) throws {
        let path = home + "/" + rel
        chmod(path, 0o644)  // follows the symlink; a no-op for root's write, needed when tests run as a user
        let handle = try #require(FileHandle(forWritingAtPath: path))
        handle.seekToEndOfFile()
        handle.write(Data(text.utf8))
        try handle.close()
    }

    /// The stored file of `rel` in generation `n`.
    func generationFile(_ n: Int, _ rel: String) -> String { state.generationPath(n) + "/files/hermes/" + rel }

    func contents(_ path: String) -> String? { try? String(contentsOfFile: path, encoding: .utf8) }
}

@Suite struct GenerationIntegrityTests {
    @Test func generationFilesAreStoredWithoutWriteBitsAndCopiesKeepTheDeclaredMode() throws {
        let f = try RuntimeFixture()
        defer { f.cleanup() }
        _ = try f.apply(
            f.rendered(
                ["a.txt": "a\n", "m.yaml": "m\n", "k.env": "K=1\n", "c.json": "{}\n"], copies: ["c.json"], secrets: ["k.env"],
                modes: ["m.yaml": 0o640, "c.json": 0o600]))
        #expect(POSIX.statFile(f.generationFile(1, "a.txt"))?.mode == 0o444)
        #expect(POSIX.statFile(f.generationFile(1, "m.yaml"))?.mode == 0o440)
        #expect(POSIX.statFile(f.generationFile(1, "k.env"))?.mode == 0o400)
        guard case .file(let copy) = f.entry("c.json") else { Issue.record("c.json is not a regular file"); return }
        #expect(copy.mode == 0o600)
        // The record keeps the declared mode (what `mode:` said), not the stored one.
        #expect(try GenerationStore(state: f.state).load(1).file(f.home + "/m.yaml")?.mode == 0o640)
    }

    @Test func editThroughTheSymlinkIsRepairedInTheLiveGenerationWithoutANewOne() throws {
        let f = try RuntimeFixture()
        defer { f.cleanup() }
        let s = f.rendered(["a.txt": "a\n", "b.txt": "b\n"])
        _ = try f.apply(s)
        try f.editThroughSymlink("a.txt", appending: "x\n")
        #expect(f.contents(f.generationFile(1, "a.txt")) == "a\nx\n")
        let r = try f.apply(s)
        let item = try #require(r.plan.items.first { $0.path == f.home + "/a.txt" })
        #expect(item.action == .restored)
        #expect(item.reason?.contains("generation 1's file was repaired in place") == true)
        #expect(!r.switched && r.generation == 1)
        #expect(GenerationStore(state: f.state).numbers() == [1])
        #expect(f.contents(f.generationFile(1, "a.txt")) == "a\n")
        #expect(POSIX.statFile(f.generationFile(1, "a.txt"))?.mode == 0o444)
        #expect(f.read("a.txt") == "a\n")
        let kept = try #require(POSIX.listDirectory(f.state.backupsPath).first { $0.hasPrefix("edited-gen-1-") })
        #expect(f.contents(f.state.backupsPath + "/" + kept + "/hermes/a.txt") == "a\nx\n")
        #expect(GenerationIntegrity.changedFiles(of: try GenerationStore(state: f.state).load(1), state: f.state).isEmpty)
        #expect(try DriftDetector(state: f.state).detect().isEmpty)
        let again = try f.apply(s)
        #expect(again.plan.changeCount == 0 && !again.switched)
    }

    @Test func editedGenerationIsRepairedEvenWhenOtherFilesNeedANewGeneration() throws {
        let f = try RuntimeFixture()
        defer { f.cleanup() }
        _ = try f.apply(f.rendered(["a.txt": "a\n", "b.txt": "b1\n"]))
        try f.editThroughSymlink("a.txt", appending: "x\n")
        let r = try f.apply(f.rendered(["a.txt": "a\n", "b.txt": "b2\n"]))
        #expect(r.switched && r.generation == 2)
        #expect(f.read("a.txt") == "a\n" && f.read("b.txt") == "b2\n")
        #expect(GenerationIntegrity.changedFiles(of: try GenerationStore(state: f.state).load(1), state: f.state).isEmpty)
        let back = try f.executor.rollback(to: nil, options: ApplyOptions(lockTimeout: 5))
        #expect(back.generation == 1 && f.read("a.txt") == "a\n" && f.read("b.txt") == "b1\n")
    }

    @Test func rollbackRefusesAGenerationEditedAfterItWasBuiltUnlessForced() throws {
        let f = try RuntimeFixture()
        defer { f.cleanup() }
        _ = try f.apply(f.rendered(["a.txt": "one\n"]))
        try f.editThroughSymlink("a.txt", appending: "x\n")
        // The new content differs from generation 1's hash: no repair, a new generation as before.
        let r = try f.apply(f.rendered(["a.txt": "two\n"]))
        #expect(r.switched && r.generation == 2)
        #expect(throws: ApplyError.generationChanged(number: 1, paths: [f.home + "/a.txt"])) {
            try f.executor.rollback(to: nil, options: ApplyOptions(lockTimeout: 5))
        }
        #expect(GenerationStore(state: f.state).currentNumber() == 2)
        #expect(f.read("a.txt") == "two\n")
        let forced = try f.executor.rollback(to: 1, options: ApplyOptions(force: true, lockTimeout: 5))
        #expect(forced.switched && forced.generation == 1)
        #expect(f.read("a.txt") == "one\nx\n")
    }

    @Test func rollbackToARepairedGenerationShowsWhatItWasBuiltWith() throws {
        let f = try RuntimeFixture()
        defer { f.cleanup() }
        let one = f.rendered(["a.txt": "one\n"])
        _ = try f.apply(one)
        try f.editThroughSymlink("a.txt", appending: "x\n")
        _ = try f.apply(one, force: true)
        _ = try f.apply(f.rendered(["a.txt": "two\n"]))
        let back = try f.executor.rollback(to: nil, options: ApplyOptions(lockTimeout: 5))
        #expect(back.switched && back.generation == 1)
        #expect(back.plan.summary["updated"] == 1)
        #expect(f.read("a.txt") == "one\n")
    }

    @Test func aGenerationFileWithTheSameSizeButOtherBytesIsCaughtByItsHash() throws {
        let f = try RuntimeFixture()
        defer { f.cleanup() }
        _ = try f.apply(f.rendered(["a.txt": "one\n"]))
        _ = try f.apply(f.rendered(["a.txt": "two\n"]))
        let path = f.generationFile(1, "a.txt")
        chmod(path, 0o644)
        try "ONE\n".write(toFile: path, atomically: false, encoding: .utf8)
        chmod(path, 0o444)
        let g1 = try GenerationStore(state: f.state).load(1)
        #expect(GenerationIntegrity.changedFiles(of: g1, state: f.state) == [f.home + "/a.txt"])
        #expect(GenerationIntegrity.changedFiles(of: try GenerationStore(state: f.state).load(2), state: f.state).isEmpty)
    }
}

@Suite struct DroppedFileOriginalTests {
    @Test func droppedFileGivesBackTheUsersOriginalWithItsMode() throws {
        let f = try RuntimeFixture()
        defer { f.cleanup() }
        try f.write("config.yaml", "mine\n")
        chmod(f.home + "/config.yaml", 0o600)
        let first = try f.apply(f.rendered(["config.yaml": "theirs\n", "a.txt": "a\n"]))
        #expect(first.plan.items.first { $0.path.hasSuffix("config.yaml") }?.action == .backedUp)
        let r = try f.apply(f.rendered(["a.txt": "a\n"]))
        let item = try #require(r.plan.items.first { $0.path == f.home + "/config.yaml" })
        #expect(item.action == .restoredBackup)
        #expect(r.plan.summary["deleted"] == 1)
        guard case .file(let st) = f.entry("config.yaml") else { Issue.record("not a regular file"); return }
        #expect(st.mode == 0o600)
        #expect(f.read("config.yaml") == "mine\n")
        #expect(try ManagedLedger.load(f.state).entries[f.home + "/config.yaml"] == nil)
        #expect(try f.apply(f.rendered(["a.txt": "a\n"])).plan.changeCount == 0)
        #expect(f.read("config.yaml") == "mine\n")
    }

    @Test func theOriginalIsFoundAfterItsGenerationWasPruned() throws {
        let f = try RuntimeFixture()
        defer { f.cleanup() }
        try f.write("c.json", "mine\n")
        _ = try f.apply(f.rendered(["c.json": "v1\n"], copies: ["c.json"]))
        for i in 2...4 { _ = try f.apply(f.rendered(["c.json": "v\(i)\n"], copies: ["c.json"]), keep: 1) }
        #expect(GenerationStore(state: f.state).numbers() == [4])
        #expect(FileManager.default.fileExists(atPath: f.state.backupsPath + "/gen-1/hermes/c.json"))
        let r = try f.apply(f.rendered([:]), keep: 1)
        #expect(r.plan.items.first?.action == .restoredBackup)
        #expect(f.read("c.json") == "mine\n")
    }

    @Test func aFileThatWasNeverBackedUpIsStillDeleted() throws {
        let f = try RuntimeFixture()
        defer { f.cleanup() }
        _ = try f.apply(f.rendered(["a.txt": "a\n", "b.txt": "b\n"]))
        let r = try f.apply(f.rendered(["b.txt": "b\n"]))
        #expect(r.plan.items.first { $0.path.hasSuffix("a.txt") }?.action == .deleted)
        #expect(f.entry("a.txt") == .absent)
    }
}

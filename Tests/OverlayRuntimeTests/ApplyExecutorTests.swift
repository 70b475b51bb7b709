import Foundation
import OverlayCore
import Testing

@testable import OverlayRuntime

@Suite struct ApplyExecutorTests {
    @Test func firstApplyPlacesSymlinksIntoCurrentWithContentsAndModes() throws {
        let f = try RuntimeFixture()
        defer { f.cleanup() }
        let report = try f.apply(f.rendered(["config.yaml": "a: 1\n", "sub/dir/x.txt": "x\n"], modes: ["config.yaml": 0o640]))
        #expect(report.switched && report.generation == 1)
        #expect(f.entry("config.yaml") == .symlink(target: f.state.path + "/current/files/hermes/config.yaml"))
        #expect(f.read("config.yaml") == "a: 1\n")
        #expect(f.read("sub/dir/x.txt") == "x\n")
        // Read through the symlink: the generation stores files without write bits.
        #expect(f.mode("config.yaml") == 0o440)
        #expect(f.mode("sub/dir/x.txt") == 0o444)
    }

    @Test func generationRecordHoldsHostHashesAndCommit() throws {
        let f = try RuntimeFixture()
        defer { f.cleanup() }
        _ = try f.executor.apply(f.rendered(["a.txt": "hello\n"]), options: ApplyOptions(commit: String(repeating: "ab", count: 20)))
        let g = try GenerationStore(state: f.state).load(1)
        #expect(g.host == "timmy" && g.number == 1 && g.commit == String(repeating: "ab", count: 20))
        // sha256("hello\n"), computed independently with sha256sum.
        #expect(g.file(f.home + "/a.txt")?.sha256 == "5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03")
    }

    @Test func secondApplyOfTheSameStateChangesNothingAndBuildsNoGeneration() throws {
        let f = try RuntimeFixture()
        defer { f.cleanup() }
        let s = f.rendered(["a.txt": "a\n", "c.json": "{}\n"], copies: ["c.json"])
        _ = try f.apply(s)
        let again = try f.apply(s)
        #expect(again.plan.changeCount == 0)
        #expect(!again.switched)
        #expect(GenerationStore(state: f.state).numbers() == [1])
    }

    @Test func copiesAreRegularFilesWithTheirMode() throws {
        let f = try RuntimeFixture()
        defer { f.cleanup() }
        _ = try f.apply(f.rendered(["c.json": "{}\n"], copies: ["c.json"], modes: ["c.json": 0o600]))
        guard case .file(let st) = f.entry("c.json") else { Issue.record("not a regular file"); return }
        #expect(st.mode == 0o600)
        #expect(f.read("c.json") == "{}\n")
    }

    @Test func secretFilesAreWrittenOwnerOnly() throws {
        let f = try RuntimeFixture()
        defer { f.cleanup() }
        _ = try f.apply(f.rendered(["k.env": "KEY=1\n"], secrets: ["k.env"], modes: ["k.env": 0o644]))
        #expect(f.mode("k.env") == 0o400)
    }

    @Test func droppedFileIsRemovedButAUserReplacementIsKept() throws {
        let f = try RuntimeFixture()
        defer { f.cleanup() }
        _ = try f.apply(f.rendered(["a.txt": "a\n", "b.json": "b\n"], copies: ["b.json"]))
        try f.write("b.json", "user edit\n")
        let r = try f.apply(f.rendered([:]))
        #expect(f.entry("a.txt") == .absent)
        #expect(f.read("b.json") == "user edit\n")
        #expect(r.plan.items.first { $0.path.hasSuffix("b.json") }?.action == .kept)
    }

    @Test func preExistingUnmanagedFileIsBackedUpIntoTheGeneration() throws {
        let f = try RuntimeFixture()
        defer { f.cleanup() }
        try f.write("config.yaml", "mine\n")
        let r = try f.apply(f.rendered(["config.yaml": "theirs\n"]))
        #expect(r.plan.items.first?.action == .backedUp)
        #expect(f.read("config.yaml") == "theirs\n")
        let backup = try String(contentsOfFile: f.state.generationPath(1) + "/backups/hermes/config.yaml", encoding: .utf8)
        #expect(backup == "mine\n")
    }

    @Test func editThroughTheSymlinkIsDriftAndTheNextApplyRestoresIt() throws {
        let f = try RuntimeFixture()
        defer { f.cleanup() }
        let s = f.rendered(["a.txt": "a\n"])
        _ = try f.apply(s)
        try f.editThroughSymlink("a.txt", appending: "edited\n")
        #expect(try DriftDetector(state: f.state).detect() == [DriftItem(path: f.home + "/a.txt", kind: .edited)])
        let r = try f.apply(s)
        #expect(r.plan.items.first?.action == .restored)
        #expect(f.read("a.txt") == "a\n")
        #expect(try DriftDetector(state: f.state).detect().isEmpty)
    }

    @Test func unmanagedReplacementIsRefusedWithoutForce() throws {
        let f = try RuntimeFixture()
        defer { f.cleanup() }
        let s = f.rendered(["a.txt": "a\n"])
        _ = try f.apply(s)
        try FileManager.default.removeItem(atPath: f.home + "/a.txt")
        try f.write("a.txt", "replaced\n")
        #expect(try DriftDetector(state: f.state).detect().first?.kind == .replaced)
        #expect(throws: ApplyError.unmanagedReplacement(paths: [f.home + "/a.txt"])) { try f.apply(s) }
        #expect(f.read("a.txt") == "replaced\n")
        _ = try f.apply(s, force: true)
        #expect(f.read("a.txt") == "a\n")
    }

    @Test func deletedManagedPathIsReportedAndRestored() throws {
        let f = try RuntimeFixture()
        defer { f.cleanup() }
        let s = f.rendered(["a.txt": "a\n"])
        _ = try f.apply(s)
        try FileManager.default.removeItem(atPath: f.home + "/a.txt")
        #expect(try DriftDetector(state: f.state).detect().first?.kind == .deleted)
        _ = try f.apply(s)
        #expect(f.read("a.txt") == "a\n")
    }

    @Test func rollbackShowsThePreviousGenerationAgain() throws {
        let f = try RuntimeFixture()
        defer { f.cleanup() }
        _ = try f.apply(f.rendered(["a.txt": "one\n", "old.txt": "o\n"]))
        _ = try f.apply(f.rendered(["a.txt": "two\n", "new.txt": "n\n"]))
        let r = try f.executor.rollback(to: nil, options: ApplyOptions(lockTimeout: 5))
        #expect(r.generation == 1 && r.switched)
        #expect(f.read("a.txt") == "one\n" && f.read("old.txt") == "o\n")
        #expect(f.entry("new.txt") == .absent)
        #expect(GenerationStore(state: f.state).currentNumber() == 1)
    }

    @Test func pruningKeepsTheNewestTheCurrentAndTheLastKnownGood() throws {
        let f = try RuntimeFixture()
        defer { f.cleanup() }
        _ = try f.apply(f.rendered(["a.txt": "1\n"]))
        try GenerationStore(state: f.state).setKnownGood(1)
        for i in 2...6 { _ = try f.apply(f.rendered(["a.txt": "\(i)\n"]), keep: 2) }
        #expect(GenerationStore(state: f.state).numbers() == [1, 5, 6])
    }

    @Test func handlerRunsWhenItsWatchedPathChangesAndItsFailureIsReported() throws {
        let f = try RuntimeFixture()
        defer { f.cleanup() }
        let marker = f.root.path + "/ran"
        let handlers = [
            RenderedHandler(name: "touch", run: "echo ran >> '\(marker)'", onChange: [f.home + "/a.txt"]),
            RenderedHandler(name: "fail", run: "echo boom; exit 4", onChange: [f.home + "/b.txt"]),
        ]
        let r1 = try f.apply(f.rendered(["a.txt": "1\n", "b.txt": "b\n"], handlers: handlers))
        #expect(r1.handlers.map(\.name) == ["touch", "fail"])
        #expect(r1.handlers.last?.exitCode == 4 && r1.switched)
        let r2 = try f.apply(f.rendered(["a.txt": "2\n", "b.txt": "b\n"], handlers: handlers))
        #expect(r2.handlers.map(\.name) == ["touch"])
        #expect(try String(contentsOfFile: marker, encoding: .utf8) == "ran\nran\n")
        let log = try String(contentsOfFile: f.state.logsPath + "/handlers.log", encoding: .utf8)
        #expect(log.contains("boom"))
    }

    @Test func leftoverStagingFromACrashIsCleanedOnTheNextRun() throws {
        let f = try RuntimeFixture()
        defer { f.cleanup() }
        try FileManager.default.createDirectory(
            atPath: f.state.generationsPath + "/.staging-7-123/files", withIntermediateDirectories: true)
        let r = try f.apply(f.rendered(["a.txt": "a\n"]))
        #expect(r.cleaned.contains(f.state.generationsPath + "/.staging-7-123"))
        #expect(!FileManager.default.fileExists(atPath: f.state.generationsPath + "/.staging-7-123"))
    }
}

@Suite struct ApplyRecoveryTests {
    @Test func takeoverInterruptedAfterTheSwitchIsFinishedWithoutForce() throws {
        let f = try RuntimeFixture()
        defer { f.cleanup() }
        try f.write("config.yaml", "mine\n")
        let s = f.rendered(["config.yaml": "theirs\n"])
        _ = try f.apply(s)
        // What a SIGKILL between the switch and the takeover leaves: the user's file still at the dest.
        try FileManager.default.removeItem(atPath: f.home + "/config.yaml")
        try f.write("config.yaml", "mine\n")
        let r = try f.apply(s)
        #expect(r.plan.items.first?.action == .backedUp)
        #expect(f.read("config.yaml") == "theirs\n")
    }
}

@Suite struct GenerationIndexTests {
    @Test func fastIndexReadsBackTheSameRecordAsGenerationJSON() throws {
        let f = try RuntimeFixture()
        defer { f.cleanup() }
        _ = try f.apply(f.rendered(["a.txt": "a\n", "k.env": "K=1\n", "c.json": "{}\n"], copies: ["c.json"], secrets: ["k.env"]))
        let folder = f.state.generationPath(1)
        let viaIndex = try Generation.load(folder: folder)
        let viaJSON = try JSONDecoder().decode(
            Generation.self, from: Data(contentsOf: URL(fileURLWithPath: folder + "/generation.json")))
        #expect(FileManager.default.fileExists(atPath: folder + "/files.tsv"))
        #expect(viaIndex == viaJSON)
    }
}

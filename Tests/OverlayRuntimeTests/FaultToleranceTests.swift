import Foundation
import OverlayCore
import Testing

@testable import OverlayRuntime

/// The small pieces issue 20 added, one behaviour each.
@Suite struct FaultToleranceTests {
    @Test func aCrontabFileThatCannotBeReadSaysWhyInWords() throws {
        let f = try RuntimeFixture()
        defer { f.cleanup() }
        let path = f.root.path + "/crontab"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        #expect(throws: CrontabError.io(path: path, message: "cannot read: Is a directory")) {
            _ = try FileCrontabStore(path: path).read()
        }
    }

    @Test func runningOutOfDescriptorsNamesTheLimitAndTheFix() {
        let text = ErrnoText.describe(EMFILE)
        #expect(text == "too many open files (limit \(ErrnoText.openFileLimit())): lower --forks or raise the limit (ulimit -n)")
        #expect(ErrnoText.describe(EACCES) == "Permission denied")
    }

    @Test func theUserNameIsTheSameFromManyThreadsAtOnce() {
        let expected = String(cString: getpwuid(geteuid()).pointee.pw_name)
        let names = Parallel.map(Array(0..<64), width: 16) { _ in
            (0..<200).map { _ in (try? EffectiveUser.name().get()) ?? "<none>" }
        }
        #expect(names.flatMap { $0 }.allSatisfy { $0 == expected })
    }

    @Test func parallelMapKeepsOrderAndRunsEveryItem() {
        let out = Parallel.map(Array(0..<1000), width: 7) { $0 * 2 }
        #expect(out == (0..<1000).map { $0 * 2 })
        let (a, b) = Parallel.both({ 1 }, { "two" })
        #expect(a == 1 && b == "two")
    }

    @Test func handlersOwedAreThoseOfASwitchThatHappenedOrOfAnEarlierRun() {
        let h = { (name: String) in Generation.Handler(RenderedHandler(name: name, run: "true", onChange: ["/x"], timeoutSeconds: nil)) }
        let journal = HandlerJournal(owed: [h("carried")], due: [h("restart"), h("carried")], generation: 5)
        #expect(journal.owed(live: 4).map(\.name) == ["carried"], "switch to 5 never happened")
        #expect(journal.owed(live: 5).map(\.name) == ["restart", "carried"], "one per name, the newest entry last")
        let current = [RenderedHandler(name: "restart", run: "new", onChange: [], timeoutSeconds: nil)]
        let merged = HandlerJournal.merge(owed: [h("restart").rendered], due: [], current: current)
        #expect(merged.map(\.run) == ["new"], "an owed handler runs as the golden state now defines it")
    }

    @Test func anIntentCountsOnlyOnceItsSwitchHappenedAndUntilTheLedgerIsWritten() {
        var entries = ManagedLedger(entries: ["/h/a": .init(link: true)], generation: 1)
        let intent = LedgerIntent(
            generation: 2, built: true, previous: 1,
            ledger: ManagedLedger(entries: ["/h/a": .init(link: true), "/h/b": .init(link: true)], generation: 1),
            linkedBeforeSwitch: ["/h/b"])
        #expect(intent.merged(into: entries, live: 1) == entries, "no switch: the ledger as it was")
        #expect(Set(intent.merged(into: entries, live: 2).entries.keys) == ["/h/a", "/h/b"])
        entries.generation = 2
        #expect(intent.merged(into: entries, live: 2) == entries, "the final ledger was written")
        #expect(intent.hides(2, live: 1) && !intent.hides(2, live: 2) && !intent.hides(1, live: 1))
        #expect(!intent.hides(2, live: 3), "current was moved by hand: nothing is assumed about generation 2")
    }

    @Test func roomNeededCountsWholeBlocksRecordsAndFolders() {
        let need = FreeSpace.need(sizes: [1, 4096, 4097], folders: 2, block: 4096)
        #expect(need.bytes == (4096 + 4096 + 8192) + 3 * 4096 + 2 * 4096, "files, three records, two folders")
        #expect(need.inodes == 3 + 2 + 3)
    }
}

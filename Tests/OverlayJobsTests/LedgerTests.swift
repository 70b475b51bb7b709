import CSQLite
import Foundation
import OverlayCore
import OverlayRuntime
import Testing

@testable import OverlayJobs

/// The SQLite ledger itself: WAL, the schema version and its migration path, concurrent writers.
@Suite struct LedgerTests {
    @Test func aNewLedgerIsInWALModeAtTheCurrentSchemaVersion() throws {
        let box = try JobsSandbox()
        defer { box.remove() }
        let ledger = try box.jobs.openLedger()
        #expect(try ledger.schemaVersion() == LedgerSchema.current)
        let mode = try ledger.access { db throws(SQLiteError) in try db.query("PRAGMA journal_mode").first?.first?.text }
        #expect(mode == "wal")
    }

    @Test func anOlderLedgerIsMigratedAndANewerOneRefused() throws {
        let box = try JobsSandbox()
        defer { box.remove() }
        // Version 0: an empty file another tool created.
        try FileManager.default.createDirectory(atPath: box.jobs.path, withIntermediateDirectories: true)
        var handle: OpaquePointer?
        #expect(sqlite3_open(box.jobs.ledgerPath, &handle) == SQLITE_OK)
        sqlite3_exec(handle, "CREATE TABLE unrelated (x INTEGER); PRAGMA user_version = 0;", nil, nil, nil)
        sqlite3_close(handle)
        #expect(try box.jobs.openLedger().schemaVersion() == LedgerSchema.current)

        #expect(sqlite3_open(box.jobs.ledgerPath, &handle) == SQLITE_OK)
        sqlite3_exec(handle, "PRAGMA user_version = 99;", nil, nil, nil)
        sqlite3_close(handle)
        do {
            _ = try box.jobs.openLedger()
            Issue.record("a ledger from a newer overlay must be refused")
        } catch {
            #expect(error.description.contains("schema version 99"), "\(error)")
        }
    }

    @Test func twoConnectionsWriteTheSameLedgerConcurrently() throws {
        let box = try JobsSandbox()
        defer { box.remove() }
        let steps = (0..<50).map { JobStep(name: "s\($0)", action: .run("true")) }
        let playbook = JobPlaybook(name: "p", file: "p.yaml", steps: steps)
        let errors = Mutex<[String]>([])
        let done = Mutex(0)
        for _ in 0..<2 {
            Thread.detachNewThread {
                do {
                    // Each thread its own connection, as two processes would have.
                    let ledger = try box.jobs.openLedger()
                    for _ in 0..<20 {
                        let run = try ledger.createRun(
                            playbook, playbookPath: "/p.yaml", host: nil, workdir: "/", runner: .current, at: Date())
                        for s in steps { try ledger.stepFinished(run: run, step: s.name, status: .done, at: Date()) }
                    }
                } catch {
                    errors.update { $0.append("\(error)") }
                }
                done.update { $0 += 1 }
            }
        }
        #expect(eventually(60) { done.get() == 2 })
        #expect(errors.get().isEmpty, "\(errors.get())")
        let ledger = try box.jobs.openLedger()
        #expect(try ledger.runs(limit: 100).count == 40)
    }
}

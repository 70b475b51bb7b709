import Foundation
import OverlayCore
import OverlayRuntime

/// The job ledger: every run, step, gate decision and promotion, in one SQLite file in the
/// state dir (`jobs/ledger.sqlite3`).
///
/// WAL mode, so `overlay jobs status` reads while a runner writes; a busy timeout, so two
/// writers wait for each other instead of failing; `synchronous=NORMAL`, so a commit
/// survives a killed process (the WAL is in the page cache) and only a power cut can lose
/// the last moments. One connection per process, used by one thread at a time.
public final class JobLedger: @unchecked Sendable {
    let db: SQLiteDatabase
    private let lock = NSLock()
    /// The ledger file.
    public let path: String

    /// Opens the ledger at `path`, creating it and bringing its schema up to date.
    public init(path: String) throws(JobsError) {
        self.path = path
        let parent = (path as NSString).deletingLastPathComponent
        do {
            try FileManager.default.createDirectory(
                atPath: parent, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw .ledger(path: path, message: "cannot create \(parent): \(error.localizedDescription)")
        }
        do {
            db = try SQLiteDatabase(path: path)
            try db.query("PRAGMA journal_mode=WAL")
            try db.execute("PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;")
        } catch {
            throw .ledger(path: path, message: error.message)
        }
        try migrate()
    }

    /// Brings the schema to `LedgerSchema.current`, one version per transaction. The version
    /// is read inside the transaction, so two processes opening a new ledger at once do not
    /// both create it.
    private func migrate() throws(JobsError) {
        let supported = LedgerSchema.current
        while true {
            let outcome: Int? = try access { db throws(SQLiteError) in
                try db.transaction { () throws(SQLiteError) -> Int? in
                    let version = Int(try db.query("PRAGMA user_version").first?.first?.int ?? 0)
                    guard version < supported else { return version }
                    try db.execute(LedgerSchema.migrations[version])
                    try db.execute("PRAGMA user_version = \(version + 1)")
                    return nil
                }
            }
            guard let version = outcome else { continue }
            if version > supported { throw .ledgerTooNew(path: path, version: version, supported: supported) }
            return
        }
    }

    /// The schema version of the open ledger.
    public func schemaVersion() throws(JobsError) -> Int {
        try access { db throws(SQLiteError) in Int(try db.query("PRAGMA user_version").first?.first?.int ?? 0) }
    }

    /// Runs `body` with the connection, serialised, mapping SQLite errors to `JobsError.ledger`.
    @discardableResult
    func access<T>(_ body: (SQLiteDatabase) throws(SQLiteError) -> T) throws(JobsError) -> T {
        lock.lock()
        defer { lock.unlock() }
        do { return try body(db) } catch { throw .ledger(path: path, message: error.message) }
    }

    /// Seconds since 1970 for a stored time.
    static func seconds(_ date: Date) -> SQLiteValue { .double(date.timeIntervalSince1970) }

    static func date(_ value: SQLiteValue) -> Date? { value.double.map(Date.init(timeIntervalSince1970:)) }
}

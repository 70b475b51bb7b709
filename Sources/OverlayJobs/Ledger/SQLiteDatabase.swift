import CSQLite
import Foundation

/// A failure reported by SQLite, with its own message.
public struct SQLiteError: Error, Sendable, CustomStringConvertible {
    /// SQLite's result code.
    public var code: Int32
    /// What SQLite said, and what was being done.
    public var message: String

    public var description: String { message }
}

/// A value bound to or read from a statement.
enum SQLiteValue: Sendable {
    case int(Int64)
    case double(Double)
    case text(String)
    case null
}

/// One connection to an SQLite database file: the thin layer the ledger is written on.
///
/// Not thread-safe by itself: the ledger serialises its use.
final class SQLiteDatabase {
    private var handle: OpaquePointer?
    let path: String

    /// Opens (creating) the database at `path`, waiting up to `busyTimeout` milliseconds for
    /// another connection's write lock.
    init(path: String, busyTimeout: Int32 = 10_000) throws(SQLiteError) {
        self.path = path
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX
        let rc = sqlite3_open_v2(path, &handle, flags, nil)
        guard rc == SQLITE_OK else {
            let message = handle.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
            sqlite3_close_v2(handle)
            handle = nil
            throw SQLiteError(code: rc, message: "cannot open \(path): \(message)")
        }
        sqlite3_busy_timeout(handle, busyTimeout)
    }

    deinit { sqlite3_close_v2(handle) }

    /// Runs one or more statements that return no rows.
    func execute(_ sql: String) throws(SQLiteError) {
        var error: UnsafeMutablePointer<CChar>?
        let rc = sqlite3_exec(handle, sql, nil, nil, &error)
        guard rc == SQLITE_OK else {
            let message = error.map { String(cString: $0) } ?? lastMessage
            sqlite3_free(error)
            throw SQLiteError(code: rc, message: "\(path): \(message)")
        }
    }

    /// Runs one statement with `values` bound to its `?` parameters; returns every row.
    @discardableResult
    func query(_ sql: String, _ values: [SQLiteValue] = []) throws(SQLiteError) -> [[SQLiteValue]] {
        var statement: OpaquePointer?
        guard sqlite3_prepare_v2(handle, sql, -1, &statement, nil) == SQLITE_OK, let statement else {
            throw SQLiteError(code: sqlite3_errcode(handle), message: "\(path): \(lastMessage) in: \(sql)")
        }
        defer { sqlite3_finalize(statement) }
        for (i, value) in values.enumerated() {
            let index = Int32(i + 1)
            let rc: Int32
            switch value {
            case .int(let v): rc = sqlite3_bind_int64(statement, index, v)
            case .double(let v): rc = sqlite3_bind_double(statement, index, v)
            case .text(let v): rc = sqlite3_bind_text(statement, index, v, -1, Self.transient)
            case .null: rc = sqlite3_bind_null(statement, index)
            }
            guard rc == SQLITE_OK else { throw SQLiteError(code: rc, message: "\(path): \(lastMessage)") }
        }
        var rows: [[SQLiteValue]] = []
        while true {
            let rc = sqlite3_step(statement)
            if rc == SQLITE_DONE { return rows }
            guard rc == SQLITE_ROW else { throw SQLiteError(code: rc, message: "\(path): \(lastMessage)") }
            rows.append((0..<sqlite3_column_count(statement)).map { column(statement, $0) })
        }
    }

    /// Runs `body` in one write transaction (taken at once, so two writers never deadlock).
    func transaction<T>(_ body: () throws(SQLiteError) -> T) throws(SQLiteError) -> T {
        try execute("BEGIN IMMEDIATE")
        do {
            let result = try body()
            try execute("COMMIT")
            return result
        } catch {
            try? execute("ROLLBACK")
            throw error
        }
    }

    /// The rowid of the last insert on this connection.
    var lastInsertRowID: Int64 { sqlite3_last_insert_rowid(handle) }

    private var lastMessage: String { handle.map { String(cString: sqlite3_errmsg($0)) } ?? "no connection" }

    private func column(_ statement: OpaquePointer, _ i: Int32) -> SQLiteValue {
        switch sqlite3_column_type(statement, i) {
        case SQLITE_INTEGER: return .int(sqlite3_column_int64(statement, i))
        case SQLITE_FLOAT: return .double(sqlite3_column_double(statement, i))
        case SQLITE_NULL: return .null
        default:
            guard let text = sqlite3_column_text(statement, i) else { return .null }
            let count = Int(sqlite3_column_bytes(statement, i))
            return .text(String(decoding: UnsafeBufferPointer(start: text, count: count), as: UTF8.self))
        }
    }

    /// SQLite copies a bound string before `bind` returns (`SQLITE_TRANSIENT`).
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
}

extension SQLiteValue {
    var int: Int64? {
        switch self {
        case .int(let v): v
        case .double(let v): Int64(exactly: v)
        default: nil
        }
    }

    var double: Double? {
        switch self {
        case .int(let v): Double(v)
        case .double(let v): v
        default: nil
        }
    }

    var text: String? {
        if case .text(let v) = self { return v }
        return nil
    }

    /// `.text` or `.null`.
    static func optional(_ s: String?) -> SQLiteValue { s.map(SQLiteValue.text) ?? .null }
    /// `.int` or `.null`.
    static func optional(_ i: Int64?) -> SQLiteValue { i.map(SQLiteValue.int) ?? .null }
    /// `.double` or `.null`.
    static func optional(_ d: Double?) -> SQLiteValue { d.map(SQLiteValue.double) ?? .null }
}

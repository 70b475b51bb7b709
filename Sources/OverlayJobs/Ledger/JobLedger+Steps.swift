import Foundation
import OverlayCore
import OverlayRuntime

extension JobLedger {
    static let stepColumns =
        "run_id, name, status, reason, exit_code, attempts, started_at, ended_at, pid, pid_start, log_path, metrics"

    /// The steps of a run, in playbook order.
    public func steps(run: Int64) throws(JobsError) -> [StepRecord] {
        let rows = try access { db throws(SQLiteError) in
            try db.query("SELECT \(Self.stepColumns) FROM steps WHERE run_id = ? ORDER BY position", [.int(run)])
        }
        return rows.compactMap(Self.stepRecord)
    }

    /// Marks an attempt of a step as started. The first attempt also sets its start time.
    public func stepStarted(run: Int64, step: String, log: String?, at time: Date) throws(JobsError) {
        try access { db throws(SQLiteError) in
            try db.query(
                """
                UPDATE steps SET status = 'running', attempts = attempts + 1, started_at = COALESCE(started_at, ?),
                ended_at = NULL, reason = NULL, exit_code = NULL, pid = NULL, pid_start = NULL, log_path = ?
                WHERE run_id = ? AND name = ?
                """,
                [Self.seconds(time), .optional(log), .int(run), .text(step)])
        }
    }

    /// Records the process running a step's attempt, so another process can tell whether it lives.
    public func stepProcess(run: Int64, step: String, process: ProcessIdentity) throws(JobsError) {
        try access { db throws(SQLiteError) in
            try db.query(
                "UPDATE steps SET pid = ?, pid_start = ? WHERE run_id = ? AND name = ?",
                [.int(Int64(process.pid)), .int(Int64(process.startTicks)), .int(run), .text(step)])
        }
    }

    /// Records a step's final state of this attempt (or of the run, for `skipped`/`cancelled`).
    public func stepFinished(
        run: Int64, step: String, status: StepStatus, exitCode: Int32? = nil, reason: String? = nil, metrics: String? = nil,
        at time: Date
    ) throws(JobsError) {
        try access { db throws(SQLiteError) in
            try db.query(
                "UPDATE steps SET status = ?, exit_code = ?, reason = ?, metrics = COALESCE(?, metrics), ended_at = ?, pid = NULL, pid_start = NULL WHERE run_id = ? AND name = ?",
                [
                    .text(status.rawValue), .optional(exitCode.map(Int64.init)), .optional(reason), .optional(metrics), Self.seconds(time),
                    .int(run), .text(step),
                ])
        }
    }

    /// Puts every step of a run that did not finish `done` back to `pending` (a resume).
    /// Returns the names reset.
    @discardableResult
    public func resetUnfinishedSteps(run: Int64) throws(JobsError) -> [String] {
        try access { db throws(SQLiteError) in
            try db.transaction { () throws(SQLiteError) -> [String] in
                let names = try db.query("SELECT name FROM steps WHERE run_id = ? AND status != 'done' ORDER BY position", [.int(run)])
                    .compactMap { $0.first?.text }
                try db.query(
                    "UPDATE steps SET status = 'pending', reason = NULL, started_at = NULL, ended_at = NULL, pid = NULL, pid_start = NULL WHERE run_id = ? AND status != 'done'",
                    [.int(run)])
                return names
            }
        }
    }

    /// Notes why a step that is due has not started (it waits for its resource).
    public func stepWaiting(run: Int64, step: String, reason: String) throws(JobsError) {
        try access { db throws(SQLiteError) in
            try db.query("UPDATE steps SET reason = ? WHERE run_id = ? AND name = ?", [.text(reason), .int(run), .text(step)])
        }
    }

    /// Puts `done` steps back to `pending` (a resume whose gate must decide again).
    public func reopenSteps(run: Int64, names: [String]) throws(JobsError) {
        try access { db throws(SQLiteError) in
            try db.transaction { () throws(SQLiteError) in
                for name in names {
                    try db.query("UPDATE steps SET status = 'pending' WHERE run_id = ? AND name = ?", [.int(run), .text(name)])
                }
            }
        }
    }

    static func stepRecord(_ row: [SQLiteValue]) -> StepRecord? {
        guard row.count == 12, let run = row[0].int, let name = row[1].text, let status = row[2].text.flatMap(StepStatus.init(rawValue:))
        else { return nil }
        var process: ProcessIdentity?
        if let pid = row[8].int, let start = row[9].int {
            process = ProcessIdentity(pid: Int32(truncatingIfNeeded: pid), startTicks: UInt64(max(start, 0)))
        }
        return StepRecord(
            run: run, name: name, status: status, reason: row[3].text, exitCode: row[4].int.map { Int32(truncatingIfNeeded: $0) },
            attempts: Int(row[5].int ?? 0), startedAt: date(row[6]), endedAt: date(row[7]), process: process, logPath: row[10].text,
            metrics: row[11].text)
    }
}

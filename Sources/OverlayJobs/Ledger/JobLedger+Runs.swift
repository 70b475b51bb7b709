import Foundation
import OverlayCore
import OverlayRuntime

extension JobLedger {
    static let runColumns =
        "id, playbook, playbook_path, host, workdir, status, reason, started_at, ended_at, runner_pid, runner_start, cancel_requested, definition"

    /// Records a new run and all its steps as `pending`, in one transaction; returns its id.
    public func createRun(
        _ playbook: JobPlaybook, playbookPath: String, host: String?, workdir: String, runner: ProcessIdentity, at time: Date
    ) throws(JobsError) -> Int64 {
        let definition: String
        do { definition = String(decoding: try JSONEncoder().encode(playbook), as: UTF8.self) } catch {
            throw .ledger(path: path, message: "cannot encode the playbook: \(error)")
        }
        return try access { db throws(SQLiteError) in
            try db.transaction { () throws(SQLiteError) -> Int64 in
                try db.query(
                    "INSERT INTO runs (playbook, playbook_path, host, workdir, status, started_at, runner_pid, runner_start, definition) VALUES (?, ?, ?, ?, 'running', ?, ?, ?, ?)",
                    [
                        .text(playbook.name), .text(playbookPath), .optional(host), .text(workdir), Self.seconds(time),
                        .int(Int64(runner.pid)), .int(Int64(runner.startTicks)), .text(definition),
                    ])
                let id = db.lastInsertRowID
                for (position, step) in playbook.steps.enumerated() {
                    try db.query(
                        "INSERT INTO steps (run_id, name, position, status) VALUES (?, ?, ?, 'pending')",
                        [.int(id), .text(step.name), .int(Int64(position))])
                }
                return id
            }
        }
    }

    /// The run `id`, or nil.
    public func run(_ id: Int64) throws(JobsError) -> RunRecord? {
        let rows = try access { db throws(SQLiteError) in try db.query("SELECT \(Self.runColumns) FROM runs WHERE id = ?", [.int(id)]) }
        return rows.first.flatMap(Self.runRecord)
    }

    /// The latest runs, newest first (of one playbook when named).
    public func runs(playbook: String? = nil, limit: Int = 20) throws(JobsError) -> [RunRecord] {
        let rows = try access { db throws(SQLiteError) in
            if let playbook {
                return try db.query(
                    "SELECT \(Self.runColumns) FROM runs WHERE playbook = ? ORDER BY id DESC LIMIT ?",
                    [.text(playbook), .int(Int64(limit))])
            }
            return try db.query("SELECT \(Self.runColumns) FROM runs ORDER BY id DESC LIMIT ?", [.int(Int64(limit))])
        }
        return rows.compactMap(Self.runRecord)
    }

    /// Runs of a playbook still marked `running` (live or interrupted).
    public func unfinishedRuns(playbook: String) throws(JobsError) -> [RunRecord] {
        let rows = try access { db throws(SQLiteError) in
            try db.query("SELECT \(Self.runColumns) FROM runs WHERE playbook = ? AND status = 'running' ORDER BY id", [.text(playbook)])
        }
        return rows.compactMap(Self.runRecord)
    }

    /// Marks a run as taken over by `runner` (a resume).
    public func resumeRun(_ id: Int64, runner: ProcessIdentity) throws(JobsError) {
        try access { db throws(SQLiteError) in
            try db.query(
                "UPDATE runs SET status = 'running', reason = NULL, ended_at = NULL, cancel_requested = 0, runner_pid = ?, runner_start = ? WHERE id = ?",
                [.int(Int64(runner.pid)), .int(Int64(runner.startTicks)), .int(id)])
        }
    }

    /// Records how a run ended.
    public func finishRun(_ id: Int64, status: RunStatus, reason: String?, at time: Date) throws(JobsError) {
        try access { db throws(SQLiteError) in
            try db.query(
                "UPDATE runs SET status = ?, reason = ?, ended_at = ? WHERE id = ?",
                [.text(status.rawValue), .optional(reason), Self.seconds(time), .int(id)])
        }
    }

    /// Asks a run to stop (`overlay jobs cancel`); its runner notices within a moment.
    public func requestCancel(_ id: Int64) throws(JobsError) {
        try access { db throws(SQLiteError) in try db.query("UPDATE runs SET cancel_requested = 1 WHERE id = ?", [.int(id)]) }
    }

    /// True once a cancel was requested for the run.
    public func isCancelRequested(_ id: Int64) throws(JobsError) -> Bool {
        try access { db throws(SQLiteError) in
            (try db.query("SELECT cancel_requested FROM runs WHERE id = ?", [.int(id)]).first?.first?.int ?? 0) != 0
        }
    }

    static func runRecord(_ row: [SQLiteValue]) -> RunRecord? {
        guard row.count == 13, let id = row[0].int, let playbook = row[1].text, let playbookPath = row[2].text,
            let workdir = row[4].text, let status = row[5].text.flatMap(RunStatus.init(rawValue:)), let started = date(row[7]),
            let definitionText = row[12].text,
            let definition = try? JSONDecoder().decode(JobPlaybook.self, from: Data(definitionText.utf8))
        else { return nil }
        var runner: ProcessIdentity?
        if let pid = row[9].int, let start = row[10].int {
            runner = ProcessIdentity(pid: Int32(truncatingIfNeeded: pid), startTicks: UInt64(max(start, 0)))
        }
        return RunRecord(
            id: id, playbook: playbook, playbookPath: playbookPath, host: row[3].text, workdir: workdir, status: status,
            reason: row[6].text, startedAt: started, endedAt: date(row[8]), runner: runner, cancelRequested: (row[11].int ?? 0) != 0,
            definition: definition)
    }
}

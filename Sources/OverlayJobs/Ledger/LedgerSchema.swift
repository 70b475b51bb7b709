/// The ledger's tables, one migration per schema version (`PRAGMA user_version`).
///
/// A later release appends a migration (`ALTER TABLE …`, a new table) and never edits an
/// earlier one: a ledger at version N is brought forward by running N+1, N+2, … in order,
/// each in the same transaction as the version bump.
enum LedgerSchema {
    /// The schema version this build writes.
    static var current: Int { migrations.count }

    /// `migrations[i]` takes a ledger from version i to i + 1.
    static let migrations: [String] = [
        """
        CREATE TABLE runs (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            playbook TEXT NOT NULL,
            playbook_path TEXT NOT NULL,
            host TEXT,
            workdir TEXT NOT NULL,
            status TEXT NOT NULL,
            reason TEXT,
            started_at REAL NOT NULL,
            ended_at REAL,
            runner_pid INTEGER,
            runner_start INTEGER,
            cancel_requested INTEGER NOT NULL DEFAULT 0,
            definition TEXT NOT NULL
        );
        CREATE INDEX runs_by_playbook ON runs(playbook, id);
        CREATE TABLE steps (
            run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
            name TEXT NOT NULL,
            position INTEGER NOT NULL,
            status TEXT NOT NULL,
            reason TEXT,
            exit_code INTEGER,
            attempts INTEGER NOT NULL DEFAULT 0,
            started_at REAL,
            ended_at REAL,
            pid INTEGER,
            pid_start INTEGER,
            log_path TEXT,
            metrics TEXT,
            PRIMARY KEY (run_id, name)
        ) WITHOUT ROWID;
        CREATE TABLE gates (
            run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
            step TEXT NOT NULL,
            accepted INTEGER NOT NULL,
            policy TEXT NOT NULL,
            verdict TEXT NOT NULL,
            decided_at REAL NOT NULL,
            PRIMARY KEY (run_id, step)
        ) WITHOUT ROWID;
        CREATE TABLE promotions (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            playbook TEXT NOT NULL,
            kind TEXT NOT NULL,
            run_id INTEGER,
            step TEXT,
            target TEXT NOT NULL,
            version INTEGER NOT NULL,
            previous INTEGER,
            at REAL NOT NULL
        );
        CREATE INDEX promotions_by_target ON promotions(target, id);
        CREATE TABLE fingerprints (
            playbook TEXT NOT NULL,
            step TEXT NOT NULL,
            path TEXT NOT NULL,
            digest TEXT NOT NULL,
            run_id INTEGER NOT NULL,
            PRIMARY KEY (playbook, step, path)
        ) WITHOUT ROWID;
        """,
        // 2: what a gate decided on (digests of its candidate, baseline and the promote
        // sources after it), so a resume can tell whether the verdict still holds.
        "ALTER TABLE gates ADD COLUMN inputs TEXT;",
    ]
}

import Foundation
import OverlayRuntime

/// The jobs area of a host's state dir (`<state>/jobs/`): the ledger, per-run step logs,
/// one lock per playbook, and each playbook's default working directory.
///
/// ```
/// jobs/ledger.sqlite3 (+ -wal, -shm)   runs, steps, gates, promotions
/// jobs/logs/<run>/<step>.log           every attempt's stdout and stderr
/// jobs/locks/<playbook>.lock           flock: one run per playbook
/// jobs/workspaces/<playbook>/          the run's working directory: work/, registry/
/// ```
public struct JobsDirectory: Sendable, Equatable {
    /// Absolute path of the jobs folder.
    public let path: String

    /// The jobs folder of a state dir.
    public init(state: StateDirectory) {
        self.path = state.path + "/jobs"
    }

    /// A jobs folder at an absolute path.
    public init(path: String) {
        self.path = path
    }

    public var ledgerPath: String { path + "/ledger.sqlite3" }

    /// The lock file of a playbook.
    public func lockPath(playbook: String) -> String { path + "/locks/\(playbook).lock" }

    /// The default working directory of a playbook's runs.
    public func workspace(playbook: String) -> String { path + "/workspaces/\(playbook)" }

    /// The log of one step of one run.
    public func logPath(run: Int64, step: String) -> String { path + "/logs/\(run)/\(step).log" }

    /// Opens (creating) the ledger.
    public func openLedger() throws(JobsError) -> JobLedger { try JobLedger(path: ledgerPath) }

    /// Opens the ledger only when it exists (readers must not create one).
    public func existingLedger() throws(JobsError) -> JobLedger? {
        FileManager.default.fileExists(atPath: ledgerPath) ? try JobLedger(path: ledgerPath) : nil
    }
}

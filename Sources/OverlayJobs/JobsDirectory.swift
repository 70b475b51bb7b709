import Foundation
import OverlayRuntime

/// The jobs area of a host's state dir (`<state>/jobs/`): the ledger, per-run step logs,
/// one lock per playbook, and each playbook's default working directory.
///
/// ```
/// jobs/ledger.sqlite3 (+ -wal, -shm)   runs, steps, gates, promotions
/// jobs/logs/<run>/<step>.log           every attempt's stdout and stderr
/// jobs/locks/<playbook>.lock           flock: one run per playbook
/// jobs/resources/<resource>.lock       flock: one step per `resource:` on the host
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

    /// The lock file of a step `resource:` (names that are not safe file names are encoded).
    public func resourceLockPath(_ resource: String) -> String {
        let safe = resource.unicodeScalars.map { c -> String in
            c.isASCII && (c.properties.isAlphabetic || ("0"..."9").contains(c) || "_-".unicodeScalars.contains(c))
                ? String(c) : String(format: "%%%02X", c.value)
        }.joined()
        return path + "/resources/\(safe).lock"
    }

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

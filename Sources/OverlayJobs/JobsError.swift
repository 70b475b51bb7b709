import Foundation
import OverlayCore

/// Why a jobs operation could not be done. The CLI maps `lockHeld` to exit 75, the rest to 1.
public enum JobsError: Error, Sendable, CustomStringConvertible {
    /// The ledger could not be opened, read or written.
    case ledger(path: String, message: String)
    /// The ledger was written by a newer overlay with a schema this one does not know.
    case ledgerTooNew(path: String, version: Int, supported: Int)
    /// Another run of the playbook holds its lock.
    case lockHeld(playbook: String, run: Int64?, waited: Double)
    /// The playbook has errors (or its variables do not render for the host).
    case invalidPlaybook([Diagnostic])
    /// No run with this id in the ledger.
    case noSuchRun(Int64)
    /// The run has no step of that name.
    case noSuchStep(run: Int64, step: String, known: [String])
    /// The run already finished (cancel) or finished `done` (resume).
    case runFinished(run: Int64, status: RunStatus, action: String)
    /// The playbook has no promote step, or several and none was named.
    case noPromoteStep(playbook: String, detail: String)
    /// A promote or rollback could not switch the target.
    case registry(String)
    /// A file operation of the runner failed (the workspace, a log).
    case io(String)

    public var description: String {
        switch self {
        case .ledger(let path, let message): "job ledger \(path): \(message)"
        case .ledgerTooNew(let path, let version, let supported):
            "job ledger \(path) has schema version \(version), newer than this overlay understands (\(supported)); run a newer overlay"
        case .lockHeld(let playbook, let run, let waited):
            "another run of playbook '\(playbook)' is in progress\(run.map { " (run \($0))" } ?? "")"
                + (waited > 0 ? "; waited \(Self.seconds(waited))" : "")
                + "; wait for it, pass --lock-timeout SECONDS, or cancel it with 'overlay jobs cancel \(run.map(String.init) ?? "RUN")'"
        case .invalidPlaybook(let diagnostics):
            "the playbook cannot run:\n" + diagnostics.map(\.description).joined(separator: "\n")
        case .noSuchRun(let id): "no run \(id) in the job ledger; 'overlay jobs list' shows the runs"
        case .noSuchStep(let run, let step, let known):
            "run \(run) has no step '\(step)'"
                + (Suggest.closest(step, in: known).map { " — did you mean '\($0)'?" } ?? "")
                + " (steps: \(known.joined(separator: ", ")))"
        case .runFinished(let run, let status, let action): "run \(run) already finished (\(status.rawValue)); nothing to \(action)"
        case .noPromoteStep(let playbook, let detail): "playbook '\(playbook)': \(detail)"
        case .registry(let message): message
        case .io(let message): message
        }
    }

    static func seconds(_ s: Double) -> String {
        s == s.rounded() ? "\(Int(s)) s" : String(format: "%.1f s", s)
    }
}

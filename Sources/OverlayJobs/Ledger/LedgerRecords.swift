import Foundation
import OverlayCore
import OverlayRuntime

/// Where a step is in its life: `pending → running → done | failed | timed_out | skipped | cancelled`.
public enum StepStatus: String, Sendable, Codable, CaseIterable {
    case pending, running, done, failed
    case timedOut = "timed_out"
    case skipped, cancelled

    /// True once the step will not change again in this run (until a resume).
    public var isFinal: Bool { self != .pending && self != .running }

    /// True when dependents may not run after it.
    public var blocksDependents: Bool { self == .failed || self == .timedOut || self == .cancelled || self == .skipped }
}

/// Where a run is. A `running` run whose runner process is gone shows as interrupted
/// (see `RunRecord.isInterrupted`) until it is resumed.
public enum RunStatus: String, Sendable, Codable {
    case running, done, failed, cancelled
}

/// One run of a playbook, as the ledger holds it.
public struct RunRecord: Sendable {
    public var id: Int64
    /// The playbook's name.
    public var playbook: String
    /// The playbook file, absolute.
    public var playbookPath: String
    /// The inventory host it ran for, when known.
    public var host: String?
    /// The run's working directory (where `work/` and `registry/` are).
    public var workdir: String
    public var status: RunStatus
    /// Why it failed or was cancelled.
    public var reason: String?
    public var startedAt: Date
    public var endedAt: Date?
    /// The runner process (pid + start time), to tell a live run from an interrupted one.
    public var runner: ProcessIdentity?
    /// True once `overlay jobs cancel` asked the run to stop.
    public var cancelRequested: Bool
    /// The playbook exactly as this run runs it (variables substituted): resume reruns this.
    public var definition: JobPlaybook

    /// True when the ledger says `running` but the runner process is gone (killed, crashed).
    public var isInterrupted: Bool { status == .running && !(runner?.isAlive ?? false) }

    /// The status to show: `interrupted` for a running run whose runner is gone.
    public var shownStatus: String { isInterrupted ? "interrupted" : status.rawValue }
}

/// One step of one run.
public struct StepRecord: Sendable {
    public var run: Int64
    public var name: String
    public var status: StepStatus
    /// Why it was skipped, failed or cancelled.
    public var reason: String?
    /// The last attempt's exit code (128 + N for signal N).
    public var exitCode: Int32?
    /// Attempts started so far, across resumes.
    public var attempts: Int
    public var startedAt: Date?
    public var endedAt: Date?
    /// The running attempt's process (its group), while it runs.
    public var process: ProcessIdentity?
    /// The step's log file (every attempt appended).
    public var logPath: String?
    /// The metrics the step wrote (`metrics:`), as JSON text.
    public var metrics: String?

    /// True while the step is due but waits for its `resource:` (held by another step).
    public var isWaitingForResource: Bool { status == .pending && reason?.hasPrefix("waiting for resource ") == true }
}

/// A gate step's decision, with everything it was decided on.
public struct GateRecord: Sendable {
    public var run: Int64
    public var step: String
    public var verdict: GateVerdict
    public var decidedAt: Date
}

/// A switch of a promote target: a promotion by a run, or a rollback by hand.
public struct PromotionRecord: Sendable {
    public enum Kind: String, Sendable { case promote, rollback }

    public var id: Int64
    public var playbook: String
    public var kind: Kind
    /// The run (and its promote step) that promoted; nil for a rollback.
    public var run: Int64?
    public var step: String?
    /// The target symlink, absolute.
    public var target: String
    /// The version now live, and the one that was live before (nil: none).
    public var version: Int
    public var previous: Int?
    public var at: Date
    /// The gate verdict that let it through ("accepted: …"), when a gate ran in that run.
    public var gateSummary: String?
}

import Foundation
import OverlayRuntime

/// What `overlay deadman check` (or `status`, `reset`) found and did.
public struct DeadmanReport: Sendable {
    /// The state dir checked.
    public var stateDir: StateDirectory
    /// The agent's condition now.
    public var state: AgentState
    /// What this check did (a dry run: would do; `status`: none).
    public var step: DeadmanStep
    /// Why, in one sentence.
    public var reason: String
    /// The live generation (after a rollback: the one rolled back to).
    public var generation: Int?
    /// The inventory host the live generation was built for.
    public var host: String?
    /// True when the live generation is known-good.
    public var knownGood: Bool
    /// The live generation's settings (nil: the deadman is off).
    public var settings: Generation.Deadman?
    /// The record after the run (a dry run: as it was).
    public var record: DeadmanRecord
    /// The state the check before this one saw.
    public var previousState: AgentState?
    /// True for a dry run: nothing was changed.
    public var dryRun = false
    /// The actions this run took, with their results.
    public var actions: [DeadmanEvent] = []
    /// What the user should fix although the check worked (a stamp in a shared folder).
    public var warnings: [String] = []
    /// What went wrong besides the agent's state (a mark not written, a command that failed).
    public var problems: [String] = []

    /// False when the agent is down, the stamp unusable, or something failed.
    public var ok: Bool { !state.isProblem && problems.isEmpty }
    /// Restarts in the open episode.
    public var retries: Int { record.episode?.restarts ?? 0 }
    /// True when the deadman gave up and waits for `overlay deadman reset`.
    public var deadmanActive: Bool { record.active }
    /// True when the check's state changed, an action was taken, or something is wrong: what
    /// `--quiet` (the cron line) prints.
    public var isNoteworthy: Bool { step != .none || state != previousState || !problems.isEmpty }
}

/// What `overlay deadman install` did.
public struct DeadmanInstallResult: Sendable {
    /// The live generation.
    public var generation: Int
    /// True when the live generation declares `deadman:` and its check is in the block.
    public var installed: Bool
    /// The crontab line of the check (nil when there is none).
    public var line: String?
    /// What the crontab step did.
    public var cron: CrontabOutcome
    /// True when nothing failed.
    public var ok: Bool { cron.error == nil }
}

import Foundation

/// How an apply runs (the flags of `overlay apply`).
public struct ApplyOptions: Sendable {
    /// Compute and report the plan; change nothing.
    public var dryRun = false
    /// Replace managed paths that were replaced by unmanaged files (after backing them up).
    public var force = false
    /// Generations to keep (the current and last known-good are always kept too).
    public var keep = 10
    /// Seconds to wait for another apply's lock before exit 75.
    public var lockTimeout: Double = 60
    /// The overlay repo's commit, recorded in the generation.
    public var commit: String?
    /// Works the commit out when `commit` is nil, only if a generation is built: describing
    /// a checkout runs `git status`, which a no-op apply does not need to pay for.
    public var describeCommit: (@Sendable () -> String?)?
    /// Run handlers whose watched paths changed (apply: the rendered ones; rollback: those
    /// recorded with the generation it makes live).
    public var runHandlers = true
    /// The crontab (`user` or `file:PATH`) the caller installs the rendered cron jobs into after
    /// the apply; recorded with the jobs in the generation. Nil: no cron jobs are recorded.
    public var crontabTarget: String?
    /// Asked once the state lock is held, before anything is planned or switched: a reason
    /// stops the apply there (`ApplyError.vetoed`), nil lets it go on. `overlay pull` uses it
    /// to re-check, under the lock the deadman's rollback takes too, that the commit was not
    /// marked bad while it was being fetched.
    public var vetoUnderLock: (@Sendable () -> String?)?
    /// Re-seed create-only files that are present (`--force-create`; what was there is kept
    /// under `backups/`). Read by the engine's create-only step, not by the executor.
    public var forceCreate = false

    public init(
        dryRun: Bool = false, force: Bool = false, keep: Int = 10, lockTimeout: Double = 60, commit: String? = nil,
        runHandlers: Bool = true, crontabTarget: String? = nil
    ) {
        self.dryRun = dryRun
        self.force = force
        self.keep = keep
        self.lockTimeout = lockTimeout
        self.commit = commit
        self.runHandlers = runHandlers
        self.crontabTarget = crontabTarget
    }
}

/// What an apply or rollback did.
public struct ApplyReport: Sendable {
    public var plan: ApplyPlan
    /// The live generation after the run (for a dry run: the one live now).
    public var generation: Int?
    /// True when `current` was switched.
    public var switched: Bool
    /// Generations removed by pruning.
    public var pruned: [Int] = []
    /// Leftovers of a crashed run that were cleaned up.
    public var cleaned: [String] = []
    /// Handlers that ran.
    public var handlers: [HandlerResult] = []
    /// For a rollback: the record of the generation it made live (its cron jobs and handlers,
    /// when recorded, are what the caller reinstalls and what ran).
    public var rolledBackTo: Generation?
    /// For a rollback to a generation without a handler record: the handlers of the generation
    /// it left that watch a changed path. None of them ran; the user is told to run them.
    public var handlersNotRun: [String] = []
    /// Set when paths could not be placed after the switch (an `ApplyError.afterSwitch`): the
    /// generation stays live, the rest of the run (handlers, the caller's cron step) went on, and
    /// the caller reports failure. The next run places those paths.
    public var afterSwitchFailure: ApplyError?

    /// True when every handler succeeded.
    public var handlersSucceeded: Bool { handlers.allSatisfy(\.succeeded) }
}

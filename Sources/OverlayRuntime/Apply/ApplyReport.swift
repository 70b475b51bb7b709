import Foundation

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

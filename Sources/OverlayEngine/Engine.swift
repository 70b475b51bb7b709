import Foundation
import OverlayCore
import OverlayRuntime

/// The entry points of overlay's orchestration: load a host's golden state, apply it, roll
/// it back, plan and run a converge, find a host's state dir.
///
/// Commands, `overlay pull`, `overlay serve`, the deadman check and the job runner all call
/// these; none of them reaches into the steps below. Each returns a typed result and throws
/// a typed, per-area error (`SourceError`, `HostApplyError`, `ConvergeError`);
/// only the CLI maps them to exit codes.
public struct Engine: Sendable {
    /// What the engine reads from the world besides the repo.
    public var environment: EngineEnvironment

    /// An engine working in `environment`.
    public init(environment: EngineEnvironment) {
        self.environment = environment
    }

    /// Loads one host's target: a bundle as-is, or the repo validated in full and rendered for
    /// `host` (nil: the host this machine is).
    public func load(_ source: GoldenStateSource, host: String?) throws(SourceError) -> LoadedTarget {
        try source.load(host: host, environment: environment)
    }

    /// Applies a loaded target to this machine: switch, handlers, crontab (SPEC §3.2).
    public func apply(_ target: LoadedTarget, options: ApplyOptions) throws(HostApplyError) -> HostApplyResult {
        try HostApply(target: target, environment: environment, options: options).run()
    }

    /// Switches `stateDir` back to generation `to` (nil: the one before the current), with
    /// that generation's cron jobs and handlers.
    public func rollback(stateDir: StateDirectory, to: Int?, options: ApplyOptions) throws(HostApplyError) -> RollbackResult {
        do { return try Rollback(stateDir: stateDir, environment: environment, options: options).run(to: to) } catch {
            throw .apply(error)
        }
    }

    /// The state dir of `host` (nil: this machine's host) for commands that only read or
    /// switch state.
    public func stateDirectory(source: RepoSource, host: String?) throws(SourceError) -> StateLocation.Lookup {
        try StateLocation.resolve(source: source, host: host, environment: environment)
    }

    /// Validates the repo for a converge of the hosts matching `limit` and selects them.
    public func planConverge(_ source: RepoSource, limit: String?) throws(SourceError) -> FleetPlan {
        try FleetPlan.make(source: source, limit: limit)
    }

    /// Converges every host of `plan` (SPEC §3.4): each host's outcome, in the plan's order.
    /// The plan must have no repo-wide errors.
    public func converge(_ plan: FleetPlan, options: ConvergeOptions) throws(ConvergeError) -> [HostOutcome] {
        let masters = try SSHMasters.open(environment: environment.variables)
        // A second interrupt exits at once: the masters are closed and the folder removed first.
        options.interrupt?.onStopNow { masters.close(environment: self.environment.variables) }
        defer { masters.close(environment: environment.variables) }
        let root = plan.context.repo.files.root.path
        let commit = ComputedOnce { SourceCommit.describe(root: root) }
        let settings = ConvergeSettings(
            options: options, controlDir: masters.controlDir,
            startedAt: UTCTimestamp.string(environment.clock.now()), describeCommit: { commit.get() })
        return ConvergeRun(plan: plan, settings: settings, environment: environment).run()
    }
}

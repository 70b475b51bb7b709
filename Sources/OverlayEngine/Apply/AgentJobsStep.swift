import Foundation
import OverlayCore
import OverlayRuntime

/// The agent-jobs step of an apply: the host's declared agent jobs reconciled into the
/// harness's `cron/jobs.json`, next to the crontab step and shaped like it.
///
/// Checked before the switch (a corrupt or symlinked jobs file refuses the whole apply, so
/// nothing changes); installed after the switch while the state lock is held, under the
/// harness's own `.jobs.lock`; recorded with the live generation (`AgentJobsRecord`) so a
/// rollback reinstalls that generation's set. A golden state that stops declaring agent jobs
/// reconciles an empty set into the home the live generation recorded: overlay's jobs go,
/// everyone else's stay.
struct AgentJobsStep {
    /// The reconcile, nil when the host has no agent jobs now and had none before.
    let managed: ManagedAgentJobs?
    let stateDir: StateDirectory

    /// The environment variable that bounds the wait for the harness's lock (seconds, default 30).
    static let lockTimeoutVariable = "OVERLAY_AGENT_JOBS_LOCK_TIMEOUT"

    init(state: RenderedState, stateDir: StateDirectory, environment: EngineEnvironment) throws(AgentJobsError) {
        self.stateDir = stateDir
        var target = state.agentJobs
        if target == nil, let live = GenerationStore(state: stateDir).currentNumber(),
            let recorded = AgentJobsRecord.load(generation: live, state: stateDir), !recorded.jobs.isEmpty
        {
            target = RenderedAgentJobs(home: recorded.home, timezone: recorded.timezone, jobs: [])
        }
        managed = target.map {
            ManagedAgentJobs(target: $0, host: state.host, clock: environment.clock, lockTimeout: Self.lockTimeout(environment))
        }
        try managed?.check()
    }

    static func lockTimeout(_ environment: EngineEnvironment) -> Double {
        environment.variables[lockTimeoutVariable].flatMap(Double.init).map { max(0, $0) } ?? 30
    }

    /// Records the set with the generation `report` left live, then reconciles the file.
    func run(after report: ApplyReport, dryRun: Bool) -> AgentJobsOutcome? {
        guard let managed else { return nil }
        if !dryRun, let live = report.generation, AgentJobsRecord.load(generation: live, state: stateDir) != managed.target {
            do { try AgentJobsRecord.save(managed.target, host: managed.host, generation: live, state: stateDir) } catch {
                return AgentJobsOutcome(path: managed.target.jobsFile, change: nil, error: error.description, dryRun: dryRun)
            }
        }
        return Self.install(managed, dryRun: dryRun)
    }

    /// After a rollback made `generation` live: reinstalls the set it records (nil when it
    /// records none — the jobs file is left alone).
    static func reinstall(generation: Int, host: String, stateDir: StateDirectory, environment: EngineEnvironment) -> AgentJobsOutcome? {
        guard let recorded = AgentJobsRecord.load(generation: generation, state: stateDir) else { return nil }
        let managed = ManagedAgentJobs(target: recorded, host: host, clock: environment.clock, lockTimeout: lockTimeout(environment))
        return install(managed, dryRun: false)
    }

    private static func install(_ managed: ManagedAgentJobs, dryRun: Bool) -> AgentJobsOutcome {
        do {
            return AgentJobsOutcome(path: managed.target.jobsFile, change: try managed.install(dryRun: dryRun), error: nil, dryRun: dryRun)
        } catch {
            return AgentJobsOutcome(path: managed.target.jobsFile, change: nil, error: error.description, dryRun: dryRun)
        }
    }
}

/// What the agent-jobs step of an apply or rollback did.
public struct AgentJobsOutcome: Sendable {
    /// The harness's jobs file.
    public var path: String
    /// What happened to each job; nil when the step failed.
    public var change: AgentJobsChange?
    /// Why the step failed (the file switch stands; the jobs file is as it was).
    public var error: String?
    /// True when nothing was written (a dry run).
    public var dryRun: Bool
}

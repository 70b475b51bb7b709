import Foundation
import OverlayCore
import OverlayRuntime

/// One host's apply after its target is loaded: the crontab target is checked, the files are
/// switched under the state lock, and the crontab is installed inside that lock.
///
/// `overlay apply` and `overlay pull` print its result; `overlay converge` runs it for each
/// local host.
struct HostApply {
    var target: LoadedTarget
    var environment: EngineEnvironment
    var options: ApplyOptions
    /// Set by converge: a crontab shared with other local hosts is installed with theirs after
    /// the batch (`CrontabBatch`), and `HostApplyResult.cronDeferred` says so.
    var crontabBatch: CrontabBatch? = nil

    /// Runs it; a failure before anything changed throws.
    func run() throws(HostApplyError) -> HostApplyResult {
        let cronStep: CrontabStep
        let state: RenderedState
        do {
            // The deadman check joins the host's jobs here, where this binary and the state dir are known.
            state = try DeadmanCronJob.adding(to: target.state, stateDir: target.stateDir, executable: environment.executablePath)
            cronStep = try CrontabStep(state: state, hostVars: target.hostVars, environment: environment.variables)
        } catch {
            throw .crontab(error)
        }
        // Agent jobs (the harness's own scheduler): checked before anything changes.
        let jobsStep: AgentJobsStep
        do { jobsStep = try AgentJobsStep(state: target.state, stateDir: target.stateDir, environment: environment) } catch {
            throw .agentJobs(error)
        }
        // Create-only files and the harness's managed scope: checked before anything changes.
        let createOnly: CreateOnlyStep
        let notes: [String]
        do {
            createOnly = try CreateOnlyStep(state: target.state, stateDir: target.stateDir, forceCreate: options.forceCreate)
            notes = try Self.prepareManagedScope(target, dryRun: options.dryRun)
        } catch {
            throw .apply(error)
        }
        var seeded: CreateOnlyOutcome?
        var agentJobs: AgentJobsOutcome?
        var opts = options
        opts.commit = opts.commit ?? target.commit
        opts.describeCommit = opts.describeCommit ?? target.describeCommit
        opts.crontabTarget = cronStep.crontab.target.description
        let report: ApplyReport
        var installed: CrontabOutcome?
        let batch = crontabBatch.flatMap { $0.takes(cronStep.crontab.target) ? $0 : nil }
        let stateDir = target.stateDir
        do {
            // The crontab is installed while the state lock is held, so that a concurrent run
            // cannot leave this generation's jobs installed after a newer generation went live.
            report = try ApplyExecutor(state: target.stateDir, clock: environment.clock).apply(state, options: opts) {
                if let batch {
                    batch.enqueue(cronStep, live: $0.generation, stateDir: stateDir)
                    installed = CrontabOutcome(target: cronStep.crontab.target.description, change: nil, error: nil, dryRun: opts.dryRun)
                } else {
                    installed = cronStep.run(dryRun: opts.dryRun)
                }
                agentJobs = jobsStep.run(after: $0, dryRun: opts.dryRun)
                seeded = createOnly.run(dryRun: opts.dryRun, clock: environment.clock)
            }
        } catch {
            throw .apply(error)
        }
        // The executor always calls back; the fallback only keeps the step from being skipped silently.
        let cron = installed ?? cronStep.run(dryRun: opts.dryRun)
        var result = HostApplyResult(
            host: target.state.host, stateDir: target.stateDir, report: report, cron: cron, agentJobs: agentJobs,
            cronDeferred: batch != nil && installed != nil)
        result.createOnly = seeded
        result.notes = notes
        return result
    }

    /// The managed scope's rights (of the one rendered and of the live generation's, whose files
    /// a dropped `managed:` removes) checked, and its folder made, before the switch. A dry run
    /// only checks, and reports a failing check as a note instead of failing.
    static func prepareManagedScope(_ target: LoadedTarget, dryRun: Bool) throws(ApplyError) -> [String] {
        let live = try? GenerationStore(state: target.stateDir).currentHomes()?[RenderedManagedScope.homeName]
        let dirs = Set([target.state.managedScope?.dir, live ?? nil].compactMap { $0 })
        do {
            for dir in dirs.sorted() { try ManagedScopeStep.requireWritable(dir) }
        } catch {
            if dryRun { return ["a real apply would fail: \(error.description)"] }
            throw error
        }
        guard !dryRun, let scope = target.state.managedScope else { return [] }
        return try ManagedScopeStep(scope: scope).prepare()
    }
}

/// A host's apply that got past its switch (or, dry, planned) — possibly with problems after it.
public struct HostApplyResult: Sendable {
    /// The host applied.
    public var host: String
    /// Its state dir.
    public var stateDir: StateDirectory
    /// What the files did.
    public var report: ApplyReport
    /// What the crontab step did.
    public var cron: CrontabOutcome
    /// What the agent-jobs step did (nil: the host has no agent jobs).
    public var agentJobs: AgentJobsOutcome? = nil
    /// What the create-only step did (nil: the run stopped before it).
    public var createOnly: CreateOnlyOutcome? = nil
    /// What the user should know although nothing failed (the managed scope's folder put right,
    /// a dry run that a real apply could not follow), one line each.
    public var notes: [String] = []
    /// True while the crontab step waits for the other hosts sharing its crontab (converge).
    public var cronDeferred = false

    /// Why the run is not ok although it got past the switch (a copy not placed, the crontab
    /// not installed, a handler that failed), each one sentence.
    public var problems: [String] {
        var problems: [String] = []
        if let unplaced = report.afterSwitchFailure?.description { problems.append(unplaced) }
        if let error = cron.error { problems.append("crontab not installed: \(error); the file switch stands") }
        if let error = agentJobs?.error { problems.append("agent jobs not installed: \(error); the file switch stands") }
        problems += createOnly?.failures ?? []
        if !report.handlersSucceeded {
            let names = report.handlers.failedSummary
            problems.append(
                "handler(s) failed: \(names); the switch stands: generation \(report.generation.map(String.init) ?? "-") stays live")
        }
        return problems
    }

    /// True when nothing went wrong.
    public var ok: Bool { problems.isEmpty }
    /// Files or crontab jobs changed (or, dry, would change).
    public var changed: Bool {
        report.plan.altersAnything || (cron.change?.changedJobs ?? false) || (agentJobs?.change?.changedJobs ?? false)
            || (createOnly?.changedAnything ?? false)
    }
    /// The generation live afterwards.
    public var liveGeneration: Int? { report.generation ?? GenerationStore(state: stateDir).currentNumber() }
}

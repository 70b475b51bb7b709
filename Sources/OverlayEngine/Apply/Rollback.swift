import OverlayRuntime

/// Switches a state dir back to an earlier generation: its files in one atomic switch, then
/// its recorded cron jobs reinstalled and its handlers run for the paths that changed — the
/// same steps as apply, so `overlay rollback` and the deadman's rollback behave alike.
struct Rollback {
    var stateDir: StateDirectory
    var environment: EngineEnvironment
    var options: ApplyOptions

    func run(to number: Int?) throws(ApplyError) -> RollbackResult {
        // The harness's managed scope is switched back too: refused up front without the rights.
        try ManagedScopeStep.checkRollback(stateDir: stateDir, to: number)
        var cron: CrontabOutcome?
        var agentJobs: AgentJobsOutcome?
        // The crontab is reinstalled while the state lock is held, so that a concurrent run
        // cannot leave this generation's jobs installed after another generation went live.
        let report = try ApplyExecutor(state: stateDir, clock: environment.clock).rollback(to: number, options: options) {
            report in
            if let record = report.rolledBackTo, let jobs = record.cron {
                cron = CrontabStep.reinstall(jobs, host: record.host)
            }
            if let record = report.rolledBackTo {
                agentJobs = AgentJobsStep.reinstall(
                    generation: record.number, host: record.host, stateDir: stateDir, environment: environment)
            }
        }
        return RollbackResult(stateDir: stateDir, report: report, cron: cron, agentJobs: agentJobs)
    }
}

/// What a rollback did.
public struct RollbackResult: Sendable {
    /// The state dir rolled back.
    public var stateDir: StateDirectory
    /// What the files did; `report.generation` is the generation now live.
    public var report: ApplyReport
    /// The reinstall of the generation's cron jobs (nil when it recorded none).
    public var cron: CrontabOutcome?
    /// The reinstall of the generation's agent jobs (nil when it recorded none).
    public var agentJobs: AgentJobsOutcome? = nil

    private var live: String { report.generation.map { "generation \($0)" } ?? "the generation" }

    /// What the user should know although nothing failed: a generation built by an older
    /// overlay records no handlers or cron jobs.
    public var notices: [String] {
        var out: [String] = []
        if report.rolledBackTo?.handlers == nil {
            let names = report.handlersNotRun
            out.append(
                "\(live) does not record its handlers (built by an older overlay): none were run"
                    + (names.isEmpty
                        ? "; run yourself any handler that watches a path this rollback changed"
                        : "; these watch paths this rollback changed, run them yourself: \(names.joined(separator: ", "))"))
        }
        if report.rolledBackTo?.cron == nil {
            out.append("\(live) does not record its cron jobs (built by an older overlay): the crontab was left alone")
        }
        return out
    }

    /// Why the rollback is not ok although it switched, each one sentence.
    public var problems: [String] {
        var out: [String] = []
        if let unplaced = report.afterSwitchFailure?.description { out.append(unplaced) }
        if let error = cron?.error { out.append("crontab not reinstalled: \(error); the rollback stands: \(live) is live") }
        if let error = agentJobs?.error { out.append("agent jobs not reinstalled: \(error); the rollback stands: \(live) is live") }
        if !report.handlersSucceeded {
            let names = report.handlers.failedSummary
            out.append("handler(s) failed: \(names); the rollback stands: \(live) is live")
        }
        return out
    }

    /// True when nothing went wrong.
    public var ok: Bool { problems.isEmpty }
}

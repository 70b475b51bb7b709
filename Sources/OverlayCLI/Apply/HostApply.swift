import Foundation
import OverlayCore
import OverlayRuntime

/// One host's apply after its target is loaded: the crontab target is checked, the files are
/// switched under the state lock, and the crontab is installed inside that lock.
///
/// `overlay apply` prints its result; `overlay converge` runs it for each local host.
struct HostApply {
    var loaded: GoldenStateSource.Loaded
    var environment: [String: String]
    var options: ApplyOptions

    /// A run that switched (or, dry, planned) — possibly with problems after the switch.
    struct Finished {
        var report: ApplyReport
        var cron: CrontabStep.Outcome
        /// Why the run is not ok although it got past the switch (a copy not placed, the
        /// crontab not installed, a handler that failed), each one sentence.
        var problems: [String]
        var ok: Bool { problems.isEmpty }
        /// Files or crontab jobs changed (or, dry, would change).
        var changed: Bool { report.plan.altersAnything || (cron.change?.changedJobs ?? false) }
    }

    /// Runs it; a failure before anything changed throws a `CommandFailure` (75 for the lock).
    func run() throws(CommandFailure) -> Finished {
        let cronStep: CrontabStep
        do {
            cronStep = try CrontabStep(state: loaded.state, hostVars: loaded.hostVars, environment: environment)
        } catch {
            let why = (error as? CommandFailure)?.description ?? String(describing: error)
            throw CommandFailure(description: why + "; nothing was changed")
        }
        var opts = options
        opts.commit = opts.commit ?? loaded.commit
        opts.describeCommit = opts.describeCommit ?? loaded.describeCommit
        opts.crontabTarget = cronStep.crontab.target.description
        let report: ApplyReport
        var installed: CrontabStep.Outcome?
        do {
            // The crontab is installed while the state lock is held, so that a concurrent run
            // cannot leave this generation's jobs installed after a newer generation went live.
            report = try ApplyExecutor(state: loaded.stateDir).apply(loaded.state, options: opts) { _ in
                installed = cronStep.run(dryRun: opts.dryRun)
            }
        } catch {
            throw ApplyRun.failure(error, nothingChanged: true)
        }
        // The executor always calls back; the fallback only keeps the step from being skipped silently.
        let cron = installed ?? cronStep.run(dryRun: opts.dryRun)
        var problems: [String] = []
        if let unplaced = report.afterSwitchFailure?.description { problems.append(unplaced) }
        if let error = cron.error { problems.append("crontab not installed: \(error); the file switch stands") }
        if !report.handlersSucceeded {
            let names = report.handlers.filter { !$0.succeeded }.map(\.name).joined(separator: ", ")
            problems.append(
                "handler(s) failed: \(names); the switch stands: generation \(report.generation.map(String.init) ?? "-") stays live")
        }
        return Finished(report: report, cron: cron, problems: problems)
    }
}

import ArgumentParser
import OverlayRuntime

/// `overlay rollback`: switch back to an earlier generation, its cron jobs and handlers included.
struct RollbackCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rollback",
        abstract: "Switch back to an earlier generation (default: the one before the current).",
        discussion: """
            The generation's files go live in one atomic switch; then the cron jobs recorded with it \
            are reinstalled into its crontab block, and its handlers whose watched paths changed run, \
            as apply runs them.
            """)

    @OptionGroup var global: GlobalOptions
    @OptionGroup var scope: StateHostOptions

    @Option(help: "The generation to switch to.")
    var to: Int?

    @Flag(
        help: """
            Replace managed paths that were replaced by unmanaged files (they are backed up first), \
            and switch to a generation whose files changed after it was built.
            """)
    var force = false

    @Option(help: "Seconds to wait for another overlay process's lock (then exit 75).")
    var lockTimeout: Double = 60

    func run() throws {
        try global.requireTextOrJSON()
        let state: StateDirectory
        do { state = try StateLocation.resolve(root: global.rootURL, options: scope) } catch {
            try fail(error, state: nil)
        }
        let report: ApplyReport
        var cron: CrontabStep.Outcome?
        do {
            // The crontab is reinstalled while the state lock is held, so that a concurrent run
            // cannot leave this generation's jobs installed after another generation went live.
            report = try ApplyExecutor(state: state).rollback(
                to: to, options: ApplyOptions(force: force, lockTimeout: lockTimeout)
            ) { report in
                if let record = report.rolledBackTo, let jobs = record.cron {
                    cron = CrontabStep.reinstall(jobs, host: record.host)
                }
            }
        } catch {
            try fail(error, state: state)
        }
        for path in report.cleaned { Output.log("cleaned up after an interrupted run: \(path)") }
        let live = report.generation.map { "generation \($0)" } ?? "the generation"
        for h in report.handlers {
            Output.log("handler \(h.name): exit \(h.exitCode) (log: \(h.logPath))")
            if !h.succeeded && !h.tail.isEmpty { Output.log(h.tail) }
        }
        if report.rolledBackTo?.handlers == nil {
            let names = report.handlersNotRun
            Output.log(
                "\(live) does not record its handlers (built by an older overlay): none were run"
                    + (names.isEmpty
                        ? "; run yourself any handler that watches a path this rollback changed"
                        : "; these watch paths this rollback changed, run them yourself: \(names.joined(separator: ", "))"))
        }
        if report.rolledBackTo?.cron == nil {
            Output.log("\(live) does not record its cron jobs (built by an older overlay): the crontab was left alone")
        }
        let unplaced = report.afterSwitchFailure?.description
        let ok = report.handlersSucceeded && cron?.error == nil && unplaced == nil
        if global.format == .json {
            Output.raw(ApplyOutput.json(report, ok: ok, diff: false, cron: cron?.json, error: unplaced))
        } else {
            Output.raw(ApplyOutput.text(report, diff: false, dryRun: false, quiet: global.quiet, verbose: global.verbose))
            if let line = cron?.text, !global.quiet || cron?.error != nil { Output.line(line) }
        }
        if ok { return }
        if let unplaced { Output.error(unplaced) }
        if let error = cron?.error {
            Output.error("crontab not reinstalled: \(error); the rollback stands: \(live) is live")
        }
        if !report.handlersSucceeded {
            let names = report.handlers.filter { !$0.succeeded }.map(\.name).joined(separator: ", ")
            Output.error("handler(s) failed: \(names); the rollback stands: \(live) is live")
        }
        throw ExitCode(1)
    }

    /// Prints a failure that stopped the rollback before its switch (JSON: with the generation
    /// that stays live, when the state dir is known).
    private func fail(_ error: any Error, state: StateDirectory?) throws -> Never {
        let failure = (error as? ApplyError).map { ApplyRun.failure($0, nothingChanged: true) } ?? (error as? CommandFailure)
        guard let failure else { throw error }
        if global.format == .json {
            let live = state.flatMap { GenerationStore(state: $0).currentNumber() }
            Output.raw(ApplyOutput.failureJSON(host: nil, error: failure.description, generation: live))
            throw ExitCode(failure.exitCode)
        }
        throw failure
    }
}

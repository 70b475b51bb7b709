import ArgumentParser
import OverlayEngine
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
    @OptionGroup var scope: HostOptions

    @Option(help: "The generation to switch to.")
    var to: Int?

    @Flag(
        help: """
            Replace managed paths that were replaced by unmanaged files (they are backed up first), \
            and switch to a generation whose files changed after it was built.
            """)
    var force = false

    @OptionGroup var lock: LockTimeoutOption

    func run() throws {
        try global.requireTextOrJSON()
        let engine = global.engine
        let state: StateDirectory
        do { state = try StateCommand.stateDir(global: global, scope: scope, engine: engine) } catch {
            throw FailureOutput.report(error, format: global.format, fields: ApplyOutput.failureFields(host: nil))
        }
        let result: RollbackResult
        do {
            result = try engine.rollback(stateDir: state, to: to, options: ApplyOptions(force: force, lockTimeout: lock.lockTimeout))
        } catch {
            let live = GenerationStore(state: state).currentNumber()
            throw FailureOutput.report(error, format: global.format, fields: ApplyOutput.failureFields(host: nil, generation: live))
        }
        let report = result.report
        for path in report.cleaned { Output.log("cleaned up after an interrupted run: \(path)") }
        ApplyOutput.logHandlers(report)
        for notice in result.notices { Output.log(notice) }
        let unplaced = report.afterSwitchFailure?.description
        if global.format == .json {
            let jobs = result.agentJobs.map { [("agent_jobs", $0.json(diff: false))] } ?? []  // agent jobs
            Output.raw(ApplyOutput.json(report, ok: result.ok, diff: false, cron: result.cron?.json, extra: jobs, error: unplaced))
        } else {
            Output.raw(ApplyOutput.text(report, diff: false, dryRun: false, quiet: global.quiet, verbose: global.verbose))
            if let line = result.cron?.text, !global.quiet || result.cron?.error != nil { Output.line(line) }
            if let text = result.agentJobs?.text(diff: false), !global.quiet { Output.raw(text) }  // agent jobs
        }
        if result.ok { return }
        for problem in result.problems { Output.error(problem) }
        throw ExitCode(1)
    }
}

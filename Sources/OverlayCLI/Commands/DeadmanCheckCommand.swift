import ArgumentParser
import OverlayEngine
import OverlayRuntime

/// `overlay deadman check`: one step of the deadman switch — restart, roll back, give up, or nothing.
struct DeadmanCheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Read the heartbeat stamp and take the deadman's next step (exit 1 when the agent is down).")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var scope: HostOptions

    @Flag(help: "Print the step the check would take; change nothing (no record, no mark, no process).")
    var dryRun = false

    @OptionGroup var lock: LockTimeoutOption

    func run() throws {
        try global.requireTextOrJSON()
        let engine = global.engine
        let report: DeadmanReport
        do {
            let state = try StateCommand.stateDir(global: global, scope: scope, engine: engine)
            report = try engine.deadmanCheck(stateDir: state, dryRun: dryRun, lockTimeout: lock.lockTimeout)
        } catch {
            throw FailureOutput.report(error, format: global.format, fields: [("dry_run", .bool(dryRun))])
        }
        if global.format == .json {
            Output.raw(DeadmanOutput.json(report))
        } else {
            Output.raw(DeadmanOutput.checkText(report, quiet: global.quiet, now: engine.environment.clock.now()))
        }
        for problem in report.problems { Output.error(problem) }
        if !report.ok { throw ExitCode(1) }
    }
}

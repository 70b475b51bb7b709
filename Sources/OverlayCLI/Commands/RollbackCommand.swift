import ArgumentParser
import OverlayRuntime

/// `overlay rollback`: switch back to an earlier generation.
struct RollbackCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rollback",
        abstract: "Switch back to an earlier generation (default: the one before the current).")

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
        let report: ApplyReport
        do {
            let state = try StateLocation.resolve(root: global.rootURL, options: scope)
            report = try ApplyExecutor(state: state).rollback(to: to, options: ApplyOptions(force: force, lockTimeout: lockTimeout))
        } catch {
            let failure = (error as? ApplyError).map { ApplyRun.failure($0, nothingChanged: true) } ?? (error as? CommandFailure)
            guard let failure else { throw error }
            if global.format == .json {
                Output.raw(ApplyOutput.failureJSON(host: nil, error: failure.description))
                throw ExitCode(failure.exitCode)
            }
            throw failure
        }
        if global.format == .json {
            Output.raw(ApplyOutput.json(report, ok: true, diff: false))
        } else {
            Output.raw(ApplyOutput.text(report, diff: false, dryRun: false, quiet: global.quiet, verbose: global.verbose))
        }
    }
}

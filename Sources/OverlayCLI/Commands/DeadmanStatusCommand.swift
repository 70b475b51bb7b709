import ArgumentParser
import OverlayEngine
import OverlayRuntime

/// `overlay deadman status`: the agent's state, the open episode and the last ones, without acting.
struct DeadmanStatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show the deadman's state, the current episode and the last ones (exit 1 when the agent is down).")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var scope: HostOptions

    func run() throws {
        try global.requireTextOrJSON()
        let engine = global.engine
        let report: DeadmanReport
        do {
            report = try engine.deadmanStatus(stateDir: try StateCommand.stateDir(global: global, scope: scope, engine: engine))
        } catch {
            throw FailureOutput.report(error, format: global.format)
        }
        Output.raw(global.format == .json ? DeadmanOutput.json(report, detail: true) : DeadmanOutput.statusText(report))
        if !report.ok { throw ExitCode(1) }
    }
}

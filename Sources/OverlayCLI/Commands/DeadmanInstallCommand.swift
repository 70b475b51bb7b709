import ArgumentParser
import OverlayCore
import OverlayEngine
import OverlayRuntime

/// `overlay deadman install`: the live generation's check into the managed crontab block, without an apply.
struct DeadmanInstallCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "install",
        abstract: "Put the live generation's deadman check into the host's managed crontab block.",
        discussion: """
            Apply, converge and pull do this on their own; install is for a block edited by hand, \
            or an overlay binary that moved (the cron line calls it by its absolute path).
            """)

    @OptionGroup var global: GlobalOptions
    @OptionGroup var scope: HostOptions
    @OptionGroup var lock: LockTimeoutOption

    func run() throws {
        try global.requireTextOrJSON()
        let engine = global.engine
        let result: DeadmanInstallResult
        do {
            let state = try StateCommand.stateDir(global: global, scope: scope, engine: engine)
            result = try engine.deadmanInstall(stateDir: state, lockTimeout: lock.lockTimeout)
        } catch {
            throw FailureOutput.report(error, format: global.format)
        }
        if global.format == .json {
            let obj: Value = .object([
                ("ok", .bool(result.ok)), ("generation", .int(result.generation)), ("installed", .bool(result.installed)),
                ("line", result.line.map(Value.string) ?? .null), ("cron", result.cron.json),
            ])
            Output.raw(JSONWriter.string(obj, pretty: true) + "\n")
        } else if !global.quiet || !result.ok {
            Output.line(
                result.installed
                    ? "deadman check of generation \(result.generation) installed: \(result.line ?? "-")"
                    : "generation \(result.generation) declares no deadman: the check is not installed")
            if let line = result.cron.text { Output.line(line) }
        }
        if !result.ok { throw ExitCode(1) }
    }
}

import ArgumentParser
import Foundation
import OverlayCore
import OverlayEngine
import OverlayRuntime

/// `overlay heartbeat`: the agent is alive — rewrite the deadman's stamp.
struct HeartbeatCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "heartbeat",
        abstract: "Write the heartbeat stamp the deadman check reads (atomically).")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var scope: HostOptions

    @Option(help: "The stamp (default: the live generation's deadman stamp).")
    var stamp: String?

    func run() throws {
        try global.requireTextOrJSON()
        let engine = global.engine
        let path: String
        do {
            // With --stamp nothing else is read: a heartbeat every few seconds stays cheap.
            let state = stamp == nil ? try StateCommand.stateDir(global: global, scope: scope, engine: engine) : nil
            path = try engine.heartbeat(stamp: stamp, stateDir: state)
        } catch {
            throw FailureOutput.report(error, format: global.format)
        }
        if global.format == .json {
            let obj: Value = .object([
                ("ok", .bool(true)), ("stamp", .string(path)),
                ("time", .string(DeadmanTime.string(engine.environment.clock.now()))),
            ])
            Output.raw(JSONWriter.string(obj, pretty: true) + "\n")
        } else if global.verbose {
            Output.line("heartbeat: \(path)")
        }
    }
}

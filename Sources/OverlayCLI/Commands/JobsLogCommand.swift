import ArgumentParser
import Foundation
import OverlayCore
import OverlayEngine
import OverlayJobs

/// `overlay jobs log RUN STEP`: a step's output, every attempt.
struct JobsLogCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "log", abstract: "Print a step's log (stdout and stderr of every attempt).")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var scope: JobsScope

    @Argument(help: ArgumentHelp("The run id.", valueName: "run"))
    var runID: Int64

    @Argument(help: "The step name.")
    var step: String

    static let jsonTail: UInt64 = 1 << 20

    func run() throws {
        try global.requireTextOrJSON()
        let path: String?
        do { path = try Jobs.logPath(run: runID, step: step, jobs: try scope.jobs(global)) } catch {
            try JobsFailure.exit(error, format: global.format)
        }
        guard let path else {
            let message = "step \(step) of run \(runID) has no log (it ran no command: skipped, pending, a gate or a promote)"
            if global.format == .json {
                Output.raw(
                    JSONWriter.string(
                        .object([("ok", .bool(true)), ("path", .null), ("log", .string("")), ("note", .string(message))]), pretty: true)
                        + "\n")
            } else {
                Output.log(message)
            }
            return
        }
        let data = FileManager.default.contents(atPath: path) ?? Data()
        if global.format == .json {
            let obj: Value = .object([
                ("ok", .bool(true)), ("path", .string(path)), ("log", .string(String(decoding: data, as: UTF8.self))),
            ])
            Output.raw(JSONWriter.string(obj, pretty: true) + "\n")
        } else {
            FileHandle.standardOutput.write(data)
        }
    }
}

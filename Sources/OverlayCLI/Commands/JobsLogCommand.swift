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

    /// `--format json` holds the log's last MiB (`truncated` says when there is more; the
    /// text form streams all of it).
    static let jsonTail: UInt64 = 1 << 20
    /// The text form copies the log in blocks of this size: memory stays flat for any log.
    static let chunk: UInt64 = 1 << 20

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
        guard let handle = FileHandle(forReadingAtPath: path) else {
            try JobsFailure.exit(JobsError.io("cannot read the log \(path)"), format: global.format)
        }
        defer { try? handle.close() }
        // The size now: a step still writing cannot keep this reading forever.
        let size = (try? handle.seekToEnd()) ?? 0
        if global.format == .json {
            let from = size > Self.jsonTail ? size - Self.jsonTail : 0
            try? handle.seek(toOffset: from)
            var tail = [UInt8]((try? handle.read(upToCount: Int(size - from))) ?? Data())
            // Start on a character: drop UTF-8 continuation bytes cut off from their start.
            if from > 0 { tail = Array(tail.drop { $0 & 0xC0 == 0x80 }) }
            let obj: Value = .object([
                ("ok", .bool(true)), ("path", .string(path)), ("size", .int(Int(size))), ("truncated", .bool(from > 0)),
                ("log", .string(String(decoding: tail, as: UTF8.self))),
            ])
            Output.raw(JSONWriter.string(obj, pretty: true) + "\n")
            return
        }
        try? handle.seek(toOffset: 0)
        var left = size
        while left > 0, let block = try? handle.read(upToCount: Int(min(left, Self.chunk))), !block.isEmpty {
            FileHandle.standardOutput.write(block)
            left -= UInt64(block.count)
        }
    }
}

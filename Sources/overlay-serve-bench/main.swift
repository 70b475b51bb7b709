// A stand-alone webhook receiver whose action only waits and writes a line per run, for
// `bench/serve.sh` (wrk against 401s) and the SIGTERM test, until `overlay serve` runs
// the engine's pull. Prints `listening HOST:PORT` on stdout once bound.
//
//   overlay-serve-bench --listen 127.0.0.1:0 --secret-file F --state-dir D
//                       [--ref main] [--run-seconds 0.2] [--runs-file F] [--log-level info]
import Foundation
import Logging
import OverlayServer

var options: [String: String] = [:]
var arguments = CommandLine.arguments.dropFirst()
while let flag = arguments.popFirst() {
    guard flag.hasPrefix("--"), let value = arguments.popFirst() else {
        FileHandle.standardError.write(Data("usage: overlay-serve-bench --listen HOST:PORT --secret-file F --state-dir D\n".utf8))
        exit(2)
    }
    options[String(flag.dropFirst(2))] = value
}
let runSeconds = Double(options["run-seconds"] ?? "0.2") ?? 0.2
let runsFile = options["runs-file"]
let level = options["log-level"].flatMap(Logger.Level.init(rawValue:)) ?? .info
LoggingSystem.bootstrap { label in
    var handler = StreamLogHandler.standardError(label: label)
    handler.logLevel = level
    return handler
}

/// Appends one line to the runs file (start and end of each run), so a test in another
/// process sees how many runs started and whether they finished.
func note(_ line: String) {
    guard let runsFile,
        let handle = FileHandle(forWritingAtPath: runsFile)
            ?? {
                _ = FileManager.default.createFile(atPath: runsFile, contents: nil)
                return FileHandle(forWritingAtPath: runsFile)
            }()
    else { return }
    handle.seekToEndOfFile()
    handle.write(Data((line + "\n").utf8))
    try? handle.close()
}

do {
    let configuration = try ServeConfiguration(
        listen: options["listen"] ?? "127.0.0.1:9000", secretFile: options["secret-file"] ?? "",
        ref: options["ref"] ?? "main", stateDirectory: options["state-dir"] ?? "")
    let action = PushClosure { ref in
        note("start \(Date().timeIntervalSince1970)")
        try? await Task.sleep(for: .seconds(runSeconds))
        note("end \(Date().timeIntervalSince1970)")
        return RunReport(result: .unchanged, commit: nil, message: "stand-in run of \(ref)")
    }
    let server = try WebhookServer(configuration: configuration, action: action, logger: Logger(label: "overlay.serve"))
    try await server.run { address in
        FileHandle.standardOutput.write(Data("listening \(address)\n".utf8))
    }
} catch {
    FileHandle.standardError.write(Data("overlay-serve-bench: \(error)\n".utf8))
    exit(1)
}

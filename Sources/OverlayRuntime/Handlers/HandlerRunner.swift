import Foundation
import OverlayCore

/// The outcome of one handler run.
public struct HandlerResult: Sendable, Equatable {
    public var name: String
    public var exitCode: Int32
    /// The log the handler's output was appended to.
    public var logPath: String
    /// The last lines of its output, for the summary on stderr.
    public var tail: String

    public var succeeded: Bool { exitCode == 0 }
}

/// Runs handlers whose watched paths changed, after the switch, with `/bin/sh -c`.
public struct HandlerRunner: Sendable {
    let state: StateDirectory

    public init(state: StateDirectory) { self.state = state }

    /// The handlers triggered by `changed` (a watched path equal to, or a folder above, a changed path).
    public static func triggered(_ handlers: [RenderedHandler], changed: Set<String>) -> [RenderedHandler] {
        handlers.filter { h in
            h.onChange.contains { watched in
                changed.contains(watched) || changed.contains { PathGuard.isInside($0, PathGuard.trimmed(watched)) }
            }
        }
    }

    /// Runs each handler in order; output goes to `logs/handlers.log`.
    public func run(_ handlers: [RenderedHandler], clock: any Clock) -> [HandlerResult] {
        guard !handlers.isEmpty else { return [] }
        try? POSIX.makeDirectory(state.logsPath, mode: 0o700)
        let logPath = state.logsPath + "/handlers.log"
        return handlers.map { handler in
            let output = Pipe()
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = ["-c", handler.run]
            process.standardOutput = output
            process.standardError = output
            process.standardInput = FileHandle.nullDevice
            var code: Int32 = 127
            var data = Data()
            do {
                try process.run()
                data = output.fileHandleForReading.readDataToEndOfFile()
                process.waitUntilExit()
                code = process.terminationStatus
            } catch {
                data = Data("could not start /bin/sh: \(error)\n".utf8)
            }
            let stamp = ISO8601DateFormatter().string(from: clock.now())
            let header = "== \(stamp) handler \(handler.name) exit \(code): \(handler.run)\n"
            append(logPath, Data(header.utf8) + data)
            let text = String(decoding: data, as: UTF8.self)
            let tail = text.split(separator: "\n").suffix(5).joined(separator: "\n")
            return HandlerResult(name: handler.name, exitCode: code, logPath: logPath, tail: tail)
        }
    }

    private func append(_ path: String, _ data: Data) {
        if !FileManager.default.fileExists(atPath: path) {
            _ = FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600])
        }
        guard let handle = FileHandle(forWritingAtPath: path) else { return }
        defer { try? handle.close() }
        _ = try? handle.seekToEnd()
        try? handle.write(contentsOf: data)
    }
}

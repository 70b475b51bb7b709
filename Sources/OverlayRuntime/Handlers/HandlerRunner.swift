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
///
/// Each handler is a `ChildProcess` in its own process group with a time limit, so a
/// handler that hangs is killed and one that leaves a daemon behind (`agent &`) does
/// not keep apply waiting.
public struct HandlerRunner: Sendable {
    /// How long one handler may run before its process group is killed, unless it sets
    /// its own `timeout:`.
    public static let defaultTimeout: Duration = .seconds(300)

    let state: StateDirectory
    let timeout: Duration

    public init(state: StateDirectory, timeout: Duration = HandlerRunner.defaultTimeout) {
        self.state = state
        self.timeout = timeout
    }

    /// The handlers triggered by `changed` (a watched path equal to, or a folder above, a changed path).
    public static func triggered(_ handlers: [RenderedHandler], changed: Set<String>) -> [RenderedHandler] {
        handlers.filter { h in
            h.onChange.contains { watched in
                changed.contains(watched) || changed.contains { PathGuard.isInside($0, PathGuard.trimmed(watched)) }
            }
        }
    }

    /// Runs each handler in order; output goes to `logs/handlers.log`.
    public func run(_ handlers: [RenderedHandler], clock: any WallClock) -> [HandlerResult] {
        guard !handlers.isEmpty else { return [] }
        try? POSIX.makeDirectory(state.logsPath, mode: 0o700)
        let logPath = state.logsPath + "/handlers.log"
        return handlers.map { handler in
            let stamp = ISO8601DateFormatter().string(from: clock.now())
            append(logPath, Data("== \(stamp) handler \(handler.name): \(handler.run)\n".utf8))
            var child = ChildProcess.shell(handler.run, environment: Self.environment())
            child.mergeErrors = true
            let limit = handler.timeoutSeconds.map { Duration.seconds($0) } ?? timeout
            child.timeout = limit
            child.appendOutputTo = logPath
            var code: Int32 = 127
            var data = Data()
            var footer = ""
            do {
                let result = try child.run()
                code = result.status
                data = result.output
                if data.count >= child.outputLimit { footer += "[overlay: output beyond \(child.outputLimit) bytes not shown]\n" }
                if result.timedOut {
                    footer +=
                        "overlay: handler '\(handler.name)' ran longer than \(limit.components.seconds) s and was killed; give it a longer 'timeout:' in the playbook if it needs one\n"
                }
            } catch {
                footer += "overlay: \(error)\n"
            }
            if let last = data.last, last != UInt8(ascii: "\n") { footer = "\n" + footer }
            append(logPath, Data((footer + "== handler \(handler.name) exit \(code)\n").utf8))
            let text = String(decoding: data, as: UTF8.self) + footer
            let tail = text.split(separator: "\n").suffix(5).joined(separator: "\n")
            return HandlerResult(name: handler.name, exitCode: code, logPath: logPath, tail: tail)
        }
    }

    /// This process's environment without `OVERLAY_SECRET_*`: a handler has no use for the
    /// secrets, and its output (a `set -x`, an `env`) is logged and summarised on stderr.
    static func environment(_ env: [String: String] = ProcessInfo.processInfo.environment) -> [String: String] {
        env.filter { !$0.key.hasPrefix("OVERLAY_SECRET_") }
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

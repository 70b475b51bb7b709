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
    /// Why overlay could not start it (out of descriptors, no `/bin/sh`), nil when it ran.
    public var notStarted: String? = nil

    public var succeeded: Bool { exitCode == 0 }
}

extension [HandlerResult] {
    /// The failed handlers for a one-line problem: their names, and for one overlay could not
    /// start, why — "restart-agent (not started: too many open files (limit 34): …)".
    public var failedSummary: String {
        filter { !$0.succeeded }.map { h in h.notStarted.map { "\(h.name) (not started: \($0))" } ?? h.name }
            .joined(separator: ", ")
    }
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
    ///
    /// A log that cannot be opened (a full disk, a read-only state dir, a log made unwritable)
    /// does not stop a handler: it runs with its output on overlay's stderr, after a warning
    /// there, and its result says so (`logPath` is `-`).
    public func run(_ handlers: [RenderedHandler], clock: any WallClock) -> [HandlerResult] {
        guard !handlers.isEmpty else { return [] }
        try? POSIX.makeDirectory(state.logsPath, mode: 0o700)
        let logPath = state.logsPath + "/handlers.log"
        return handlers.map { handler in
            let stamp = UTCTimestamp.string(clock.now())
            var child = ChildProcess.shell(handler.run, environment: Self.environment())
            child.mergeErrors = true
            let limit = handler.timeoutSeconds.map { Duration.seconds($0) } ?? timeout
            child.timeout = limit
            var warning: String?
            if let problem = append(logPath, Data("== \(stamp) handler \(handler.name): \(handler.run)\n".utf8)) {
                warning =
                    "overlay: warning: cannot write the handler log \(logPath) (\(problem)); the output of handler '\(handler.name)' follows on stderr"
                Self.standardError(warning.map { $0 + "\n" } ?? "")
                child.outputToStandardError = true
            } else {
                child.appendOutputTo = logPath
            }
            var code: Int32 = 127
            var data = Data()
            var footer = ""
            var notStarted: String?
            var attempt = Result { () throws(ChildProcessError) in try child.run() }
            if case .failure(.io(let problem)) = attempt, warning == nil {
                // The log opened for the header but not for the handler's output.
                let text = "overlay: warning: \(problem); the output of handler '\(handler.name)' follows on stderr"
                Self.standardError(text + "\n")
                warning = text
                child.appendOutputTo = nil
                child.outputToStandardError = true
                attempt = Result { () throws(ChildProcessError) in try child.run() }
            }
            switch attempt {
            case .success(let result):
                code = result.status
                data = result.output
                if data.count >= child.outputLimit { footer += "[overlay: output beyond \(child.outputLimit) bytes not shown]\n" }
                if result.timedOut {
                    footer +=
                        "overlay: handler '\(handler.name)' ran longer than \(limit.components.seconds) s and was killed; give it a longer 'timeout:' in the playbook if it needs one\n"
                }
            case .failure(let error):
                footer += "overlay: \(error)\n"
                notStarted = "\(error)"
            }
            if let last = data.last, last != UInt8(ascii: "\n") { footer = "\n" + footer }
            let closing = Data((footer + "== handler \(handler.name) exit \(code)\n").utf8)
            if warning == nil { _ = append(logPath, closing) } else if !footer.isEmpty { Self.standardError(footer) }
            let text = String(decoding: data, as: UTF8.self) + footer
            let tail = (warning.map { [$0] } ?? []) + text.split(separator: "\n").suffix(5).map(String.init)
            return HandlerResult(
                name: handler.name, exitCode: code, logPath: warning == nil ? logPath : "-", tail: tail.joined(separator: "\n"),
                notStarted: notStarted)
        }
    }

    /// This process's environment without `OVERLAY_SECRET_*`: a handler has no use for the
    /// secrets, and its output (a `set -x`, an `env`) is logged and summarised on stderr.
    static func environment(_ env: [String: String] = ProcessInfo.processInfo.environment) -> [String: String] {
        env.filter { !$0.key.hasPrefix("OVERLAY_SECRET_") }
    }

    /// Appends to the log (created 0600); returns why it could not, or nil.
    private func append(_ path: String, _ data: Data) -> String? {
        let fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { return ErrnoText.describe(errno) }
        defer { close(fd) }
        let failed: Int32 = data.withUnsafeBytes { raw in
            guard let base = raw.baseAddress else { return 0 }
            var done = 0
            while done < raw.count {
                let n = write(fd, base + done, raw.count - done)
                if n < 0 { if errno == EINTR { continue }; return errno }
                done += n
            }
            return 0
        }
        return failed == 0 ? nil : ErrnoText.describe(failed)
    }

    private static func standardError(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }
}

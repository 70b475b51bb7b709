import Foundation

/// How one `restart` or `alert` run ended.
public struct DeadmanCommandResult: Sendable, Equatable {
    /// The exit code (128 + the signal when one ended it; 127 when it could not start).
    public var status: Int32
    /// True when it ran past its time limit and its process group was killed.
    public var timedOut: Bool
    /// The last lines of its output.
    public var tail: String

    /// True when it exited 0 in time.
    public var succeeded: Bool { status == 0 && !timedOut }

    /// `ok`, `exit 3`, `timed out after 120 s`: what the record says of it.
    public func summary(limit: Duration) -> String {
        if timedOut { return "timed out after \(limit.components.seconds) s (killed)" }
        return status == 0 ? "ok" : "exit \(status)"
    }
}

/// Runs the deadman's `restart` and `alert` commands with `/bin/sh -c`: each a `ChildProcess`
/// in its own process group with a time limit (a hung one is killed with its group and counts
/// as failed), its output appended to `logs/deadman.log`.
public struct DeadmanCommandRunner: Sendable {
    /// How long `restart` may run.
    public static let restartTimeout: Duration = .seconds(120)
    /// How long `alert` may run.
    public static let alertTimeout: Duration = .seconds(60)

    let state: StateDirectory
    /// The commands' environment (without `OVERLAY_SECRET_*`).
    let environment: [String: String]

    /// A runner logging into `state`'s `logs/deadman.log`, with `environment` for the commands.
    public init(state: StateDirectory, environment: [String: String]) {
        self.state = state
        self.environment = environment.filter { !$0.key.hasPrefix("OVERLAY_SECRET_") }
    }

    /// Runs `command` (`label`: `restart` or `alert`) with `extra` variables added to its environment.
    public func run(
        _ command: String, label: String, timeout: Duration, extra: [String: String] = [:], clock: any WallClock
    ) -> DeadmanCommandResult {
        try? POSIX.makeDirectory(state.logsPath, mode: 0o700)
        let log = state.deadmanLogPath
        append(log, "== \(DeadmanTime.string(clock.now())) \(label): \(command)\n")
        var child = ChildProcess.shell(command, environment: environment.merging(extra) { _, new in new })
        child.mergeErrors = true
        child.timeout = timeout
        child.appendOutputTo = log
        var result = DeadmanCommandResult(status: 127, timedOut: false, tail: "")
        var footer = ""
        do {
            let ran = try child.run()
            result.status = ran.status
            result.timedOut = ran.timedOut
            let text = String(decoding: ran.output, as: UTF8.self)
            result.tail = text.split(separator: "\n").suffix(5).joined(separator: "\n")
            if let last = ran.output.last, last != UInt8(ascii: "\n") { footer = "\n" }
            if ran.timedOut { footer += "overlay: \(label) ran longer than \(timeout.components.seconds) s and was killed\n" }
        } catch {
            result.tail = "\(error)"
            footer = "overlay: \(error)\n"
        }
        append(log, footer + "== \(label) \(result.summary(limit: timeout))\n")
        return result
    }

    private func append(_ path: String, _ text: String) {
        let fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard fd >= 0 else { return }
        defer { close(fd) }
        let bytes = Array(text.utf8)
        _ = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
    }
}

import Foundation
import OverlayJobs

/// The live progress line of a run on a terminal (stderr): steps done / total, the running
/// ones, elapsed time — redrawn in place at most a few times a second. Nothing when stderr
/// is not a terminal (cron, CI, a pipe): their logs get only the final report.
final class JobsProgressLine: @unchecked Sendable {
    private let lock = NSLock()
    private var lastDraw = ContinuousClock.now - .seconds(1)
    private var drawn = false

    /// A progress line, or nil when stderr is not a terminal.
    static func forTerminal() -> JobsProgressLine? { isatty(STDERR_FILENO) == 1 ? JobsProgressLine() : nil }

    /// The runner's progress callback for `line` (nil: none).
    static func callback(_ line: JobsProgressLine?) -> (@Sendable (RunProgress) -> Void)? {
        guard let line else { return nil }
        return { progress in line.update(progress) }
    }

    /// Redraws the line with `progress` (throttled).
    func update(_ progress: RunProgress) {
        lock.lock()
        defer { lock.unlock() }
        guard ContinuousClock.now - lastDraw >= .milliseconds(200) else { return }
        lastDraw = ContinuousClock.now
        let seconds = Double(progress.elapsed.components.seconds) + Double(progress.elapsed.components.attoseconds) / 1e18
        var line = "run \(progress.run): \(progress.finished)/\(progress.total) steps done"
        if !progress.running.isEmpty { line += ", running: " + progress.running.joined(separator: ", ") }
        if !progress.waiting.isEmpty {
            line += ", waiting: " + progress.waiting.map { "\($0.step) (for \($0.resource))" }.joined(separator: ", ")
        }
        line += String(format: "  %.1f s", seconds)
        let columns = Int(ProcessInfo.processInfo.environment["COLUMNS"] ?? "") ?? 100
        if line.count > columns - 1 { line = String(line.prefix(max(columns - 2, 10))) + "…" }
        FileHandle.standardError.write(Data(("\r\u{1B}[K" + line).utf8))
        drawn = true
    }

    /// Clears the line before the report is printed.
    func finish() {
        lock.lock()
        defer { lock.unlock() }
        if drawn { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
        drawn = false
    }
}

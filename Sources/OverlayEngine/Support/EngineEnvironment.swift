import Foundation
import OverlayRuntime

/// What the engine reads from the world besides the repo: the process environment, this
/// machine's name, the time, standard input and a place for progress lines.
///
/// The CLI passes the real ones; tests and long-running callers (`serve`, the deadman check)
/// pass their own, so nothing in the engine reads globals directly.
public struct EngineEnvironment: Sendable {
    /// The process environment (`HOME`, `OVERLAY_STATE_DIR`, `OVERLAY_CRONTAB`, secrets, …).
    public var variables: [String: String]
    /// This machine's host name, for picking the inventory host (`$OVERLAY_HOSTNAME` overrides it).
    public var hostName: String
    /// The time of day for decisions and records.
    public var clock: any WallClock
    /// Reads a bundle given as `-`.
    public var readStandardInput: @Sendable () -> Data
    /// Receives progress and notices (one line each); the CLI writes them to stderr.
    public var log: @Sendable (String) -> Void
    /// True when progress should be shown live (stderr is a terminal).
    public var showsProgress: Bool
    /// The `overlay` binary cron lines call (the deadman check): this process's own, resolved.
    public var executablePath: String = EngineEnvironment.runningExecutable

    /// An environment from explicit parts.
    public init(
        variables: [String: String], hostName: String, clock: any WallClock = SystemClock(),
        readStandardInput: @escaping @Sendable () -> Data = { Data() }, log: @escaping @Sendable (String) -> Void = { _ in },
        showsProgress: Bool = false
    ) {
        self.variables = variables
        self.hostName = hostName
        self.clock = clock
        self.readStandardInput = readStandardInput
        self.log = log
        self.showsProgress = showsProgress
    }

    /// This process's environment: its variables, host name (or `$OVERLAY_HOSTNAME`), the
    /// system clock and standard input; `log` receives notices.
    public static func process(log: @escaping @Sendable (String) -> Void = { _ in }, showsProgress: Bool = false) -> EngineEnvironment {
        let variables = ProcessInfo.processInfo.environment
        let name = variables["OVERLAY_HOSTNAME"].flatMap { $0.isEmpty ? nil : $0 } ?? ProcessInfo.processInfo.hostName
        return EngineEnvironment(
            variables: variables, hostName: name, readStandardInput: { FileHandle.standardInput.readDataToEndOfFile() }, log: log,
            showsProgress: showsProgress)
    }

    /// The running binary's absolute path, from `/proc/self/exe` (without the ` (deleted)` the
    /// kernel adds once an upgrade replaced the file), else the first argument.
    public static var runningExecutable: String {
        if let path = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            return path.hasSuffix(" (deleted)") ? String(path.dropLast(" (deleted)".count)) : path
        }
        return URL(fileURLWithPath: CommandLine.arguments.first ?? "overlay").standardizedFileURL.path
    }

    /// The user's home: `$HOME`, else the account's.
    public var home: String { variables["HOME"] ?? NSHomeDirectory() }
}

import Foundation
import OverlayCore

/// How a converge runs (the flags of `overlay converge`).
public struct ConvergeOptions: Sendable {
    /// `--check`: report what would change, change nothing.
    public var check = false
    /// `--diff`: unified diffs of changed files (secrets redacted).
    public var diff = false
    /// Hosts converged at once.
    public var forks = 5
    /// The batches of a rolling update (default: all hosts at once).
    public var serial: SerialBatches = .all
    /// Stop the rolling update after a batch in which more than this percentage failed.
    public var maxFailPercentage: Double?
    /// Seconds each host's apply waits for its state lock.
    public var lockTimeout: Double = 60
    /// How long one SSH host's apply may take (`--host-timeout`).
    public var hostTimeout: Duration = .seconds(1800)
    /// Set by the caller's signal handling: once requested, no new host starts.
    public var interrupt: ConvergeInterrupt?

    /// Options with the defaults of `overlay converge`.
    public init(
        check: Bool = false, diff: Bool = false, forks: Int = 5, serial: SerialBatches = .all, maxFailPercentage: Double? = nil,
        lockTimeout: Double = 60, hostTimeout: Duration = .seconds(1800)
    ) {
        self.check = check
        self.diff = diff
        self.forks = forks
        self.serial = serial
        self.maxFailPercentage = maxFailPercentage
        self.lockTimeout = lockTimeout
        self.hostTimeout = hostTimeout
    }
}

/// What every host of one converge run shares (the options and the run's own resources).
struct ConvergeSettings: Sendable {
    var options: ConvergeOptions
    /// Folder of the SSH control sockets (one reused connection per host).
    var controlDir: String
    /// When this converge started (ISO 8601), recorded in each host's state dir.
    var startedAt: String
    /// The repo's commit (with `-dirty`), worked out at most once per run.
    var describeCommit: @Sendable () -> String?
    /// The remote state dirs SSH hosts have claimed in this run, by machine.
    var remoteStateDirs = RemoteStateClaims()

    var check: Bool { options.check }
    var diff: Bool { options.diff }
    var lockTimeout: Double { options.lockTimeout }
}

/// Why a converge could not start.
public enum ConvergeError: Error, Sendable, CustomStringConvertible {
    /// The private folder for SSH connections cannot be made.
    case controlDirectory(errno: Int32)

    public var description: String {
        switch self {
        case .controlDirectory(let code):
            return "cannot create a folder in /tmp for SSH connections: \(ErrnoText.describe(code))"
        }
    }
}

/// Which SSH host of the run applies into which state dir of which machine: two inventory
/// hosts that reach one machine (under any address, user or spelling of the home) and one
/// state dir there would undo each other's generations on every run.
final class RemoteStateClaims: @unchecked Sendable {
    private let lock = NSLock()
    private var owners: [String: String] = [:]

    /// Claims `stateDir` on `machine` for `host`; the host that holds it already, if another.
    func claim(machine: String, stateDir: String, host: String) -> String? {
        let key = machine + "\u{0}" + stateDir
        lock.lock()
        defer { lock.unlock() }
        if let owner = owners[key], owner != host { return owner }
        owners[key] = host
        return nil
    }
}

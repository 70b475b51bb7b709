import Foundation
import OverlayRuntime

/// What every host of one converge run shares.
struct ConvergeSettings: Sendable {
    /// `--check`: report what would change, change nothing.
    var check = false
    /// `--diff`: unified diffs of changed files (secrets redacted).
    var diff = false
    /// Seconds a host's apply waits for its state lock.
    var lockTimeout: Double = 60
    /// Folder of the SSH control sockets (one reused connection per host).
    var controlDir: String
    /// How long one SSH host's apply may take.
    var sshTimeout: Duration = .seconds(1800)
    /// When this converge started (ISO 8601), recorded in each host's state dir.
    var startedAt = ISO8601DateFormatter().string(from: Date())
    /// The repo's commit (with `-dirty`), worked out at most once per run.
    var describeCommit: @Sendable () -> String?
}

/// A value computed on first use and shared by every thread after that.
final class ComputedOnce<T: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: T?
    private let compute: @Sendable () -> T

    init(_ compute: @escaping @Sendable () -> T) { self.compute = compute }

    func get() -> T {
        lock.lock()
        defer { lock.unlock() }
        if let value { return value }
        let computed = compute()
        value = computed
        return computed
    }
}

import Foundation
import OverlayRuntime

/// A request, from a signal handler or any thread, to stop a converge: no new host starts,
/// local applies in flight finish (each is atomic), and SSH hosts in flight get `sshGrace` to
/// finish before their `ssh` is stopped (the remote apply is atomic too).
public final class ConvergeInterrupt: @unchecked Sendable {
    private let lock = NSLock()
    private var signalName: String?
    /// Stops the `ssh` children of the hosts in flight once the grace is over.
    let sshCancellation = ChildCancellation()
    /// How long SSH hosts in flight may go on after the request.
    public let sshGrace: Duration

    /// An interrupt that gives SSH hosts in flight `sshGrace` to finish.
    public init(sshGrace: Duration = .seconds(30)) { self.sshGrace = sshGrace }

    /// Asks the converge to stop because of `signal` (its name, e.g. `SIGINT`). The first
    /// request counts; the SSH grace starts now.
    public func request(_ signal: String) {
        lock.lock()
        let first = signalName == nil
        if first { signalName = signal }
        lock.unlock()
        guard first else { return }
        let grace = sshGrace
        let cancellation = sshCancellation
        Thread.detachNewThread {
            Thread.sleep(forTimeInterval: Double(grace.components.seconds) + Double(grace.components.attoseconds) / 1e18)
            cancellation.cancel()
        }
    }

    private var cleanups: [@Sendable () -> Void] = []

    /// Work that must happen even when the converge is stopped at once (the SSH masters
    /// closed and their folder removed).
    func onStopNow(_ cleanup: @escaping @Sendable () -> Void) {
        lock.lock()
        cleanups.append(cleanup)
        lock.unlock()
    }

    /// Stops at once (a second signal): the `ssh` of every host in flight is stopped, then
    /// the cleanups run. The caller exits right after; every remote apply is atomic, so a
    /// host cut short shows its old or its new generation.
    public func stopNow() {
        sshCancellation.cancel()
        lock.lock()
        let work = cleanups
        cleanups = []
        lock.unlock()
        for cleanup in work { cleanup() }
    }

    /// The signal that stopped the converge, once one did.
    public var requested: String? {
        lock.lock()
        defer { lock.unlock() }
        return signalName
    }
}

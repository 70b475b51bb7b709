import Foundation
import ServiceLifecycle

/// The running service group, so ``WebhookServer/shutdown()`` can reach it, and whether
/// the server got as far as listening (to tell a bind failure from a later one).
final class ServerControl: @unchecked Sendable {
    private let lock = NSLock()
    private var group: ServiceGroup?
    private var shutdownRequested = false
    private var listening = false

    /// Keeps `group`; true when a shutdown was asked for before it existed.
    func attach(_ group: ServiceGroup) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        self.group = group
        return shutdownRequested
    }

    /// The group to shut down, or nil when it does not exist yet (it will be shut down as it starts).
    func requestShutdown() -> ServiceGroup? {
        lock.lock()
        defer { lock.unlock() }
        shutdownRequested = true
        return group
    }

    func markListening() {
        lock.lock()
        listening = true
        lock.unlock()
    }

    var wasListening: Bool {
        lock.lock()
        defer { lock.unlock() }
        return listening
    }
}

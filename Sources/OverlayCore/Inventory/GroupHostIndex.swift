import Foundation

/// Ansible's `groups[NAME]` for every group, and the `groups` magic variable, built on
/// first use: host patterns and templates need them, `inventory --list` never does.
final class GroupHostIndex: @unchecked Sendable {
    private let lock = NSLock()
    private let groups: [String: InventoryGroup]
    private let order: [String]
    private var built: (hosts: [String: [String]], value: Value)?

    init(groups: [String: InventoryGroup], order: [String]) {
        self.groups = groups
        self.order = order
    }

    /// Each group's hosts including its descendants' (Ansible's `groups[NAME]`).
    var hosts: [String: [String]] { index.hosts }

    /// The `groups` magic variable, shared by every host.
    var value: Value { index.value }

    private var index: (hosts: [String: [String]], value: Value) {
        lock.withLock {
            if let built { return built }
            var hosts: [String: [String]] = [:]
            for name in order { hosts[name] = Inventory.descendantHosts(of: name, in: groups) }
            let made = (hosts, Value.object(order.map { ($0, .array((hosts[$0] ?? []).map(Value.string))) }))
            built = made
            return made
        }
    }
}

/// A group of the inventory: its hosts, child groups and inline variables.
public struct InventoryGroup: Sendable {
    /// The group's name.
    public let name: String
    /// Child groups, in the order they were added.
    public internal(set) var children: [String] = []
    /// Parent groups, in the order they were added.
    public internal(set) var parents: [String] = []
    /// Hosts listed directly under this group, in the order they were added.
    public internal(set) var hosts: [String] = []
    /// Inline `vars:` in document order (a later definition of a name wins).
    public internal(set) var vars: [VariableDefinition] = []
    /// `ansible_group_priority` (default 1): orders groups of the same depth.
    public internal(set) var priority = 1
    /// Length of the longest path from `all` (0 for `all`); deeper groups win.
    public internal(set) var depth = 0

    /// Creates an empty group.
    init(name: String) { self.name = name }
}

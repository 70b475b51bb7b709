/// A host of the inventory: the groups it is listed in and its inline variables.
public struct InventoryHost: Sendable {
    /// The host's name (`inventory_hostname`).
    public let name: String
    /// Groups that list this host directly, in the order they were added.
    public internal(set) var groups: [String] = []
    /// Inline host variables in document order (a later definition wins).
    public internal(set) var vars: [VariableDefinition] = []
    /// Where the host was first listed.
    public let file: String
    /// The key node that first listed the host (its range, when expanded from one).
    public let keyNode: Node

    /// Creates a host first listed at `keyNode` of `file`.
    init(name: String, file: String, keyNode: Node) {
        self.name = name
        self.file = file
        self.keyNode = keyNode
    }
}

/// One variable as written in the inventory: its name, value and where it was written.
///
/// Keeping the source lets every check point at the node that defined the value a
/// host ends up with, whether that was inline in `hosts.yml` or in a vars file. A class,
/// so the thousands of hosts sharing a group's definitions share one copy.
public final class VariableDefinition: Sendable {
    /// The variable's name.
    public let name: String
    /// The resolved value (YAML 1.1 scalars, as Ansible reads them).
    public let value: Value
    /// The file that defines it (repo-relative in a repo, as given for `-i FILE`).
    public let file: String
    /// The key node, for diagnostics about the name.
    public let keyNode: Node
    /// The value node, for diagnostics about the value.
    public let valueNode: Node
    /// The value as `ansible-inventory --list` prints it, when that differs from `value`
    /// (strings under `!unsafe` print as `{"__ansible_unsafe": text}` there).
    public let listedValue: Value?

    /// Creates a definition from a mapping entry of `file`.
    public init(name: String, value: Value, file: String, keyNode: Node, valueNode: Node, listedValue: Value? = nil) {
        self.name = name
        self.value = value
        self.file = file
        self.keyNode = keyNode
        self.valueNode = valueNode
        self.listedValue = listedValue
    }

    /// Definitions for every entry of a mapping node, in document order.
    static func all(in mapping: Node, file: String) -> [VariableDefinition] {
        guard let pairs = mapping.pairs else { return [] }
        return pairs.map { entry($0, file: file) }
    }

    /// The definition of one mapping entry `name: value` of `file`.
    static func entry(_ pair: Node.Pair, file: String) -> VariableDefinition {
        var unsafe = false
        let value = ValueResolution.resolve(pair.value, wrapUnsafe: false, sawUnsafe: &unsafe)
        return VariableDefinition(
            name: pair.key.value.keyString, value: value, file: file, keyNode: pair.key, valueNode: pair.value,
            listedValue: unsafe ? ValueResolution.resolve(pair.value, wrapUnsafe: true) : nil)
    }
}

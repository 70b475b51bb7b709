import Synchronization

/// One variable as written in the inventory: its name, value and where it was written.
///
/// Keeping the source lets every check point at the node that defined the value a
/// host ends up with, whether that was inline in `hosts.yml` or in a vars file. A class,
/// so the thousands of hosts sharing a group's definitions share one copy.
public final class VariableDefinition: Sendable {
    /// The variable's name.
    public let name: String
    /// The file that defines it (repo-relative in a repo, as given for `-i FILE`).
    public let file: String
    /// The key node, for diagnostics about the name.
    public let keyNode: Node
    /// The value node, for diagnostics about the value.
    public let valueNode: Node
    /// The value and its listing form, resolved from `valueNode` on first use: `validate`
    /// reads the values of a few names only, and a large inventory's host_vars held as
    /// values beside their nodes were the largest part of its memory after the trees.
    private let resolved: Mutex<Resolved?>

    private struct Resolved: Sendable {
        var value: Value
        var listed: Value?
    }

    /// The resolved value (YAML 1.1 scalars, as Ansible reads them).
    public var value: Value { resolution.value }

    /// The value as `ansible-inventory --list` prints it, when that differs from `value`
    /// (strings under `!unsafe` print as `{"__ansible_unsafe": text}` there).
    public var listedValue: Value? { resolution.listed }

    private var resolution: Resolved {
        resolved.withLock { cached in
            if let cached { return cached }
            var unsafe = false
            let value = ValueResolution.resolve(valueNode, wrapUnsafe: false, sawUnsafe: &unsafe)
            let made = Resolved(value: value, listed: unsafe ? ValueResolution.resolve(valueNode, wrapUnsafe: true) : nil)
            cached = made
            return made
        }
    }

    /// Creates a definition whose value is already known (synthesized variables).
    public init(name: String, value: Value, file: String, keyNode: Node, valueNode: Node, listedValue: Value? = nil) {
        self.name = name
        self.file = file
        self.keyNode = keyNode
        self.valueNode = valueNode
        self.resolved = Mutex(Resolved(value: value, listed: listedValue))
    }

    /// Creates a definition of `name: valueNode`, resolved when first read.
    init(name: String, file: String, keyNode: Node, valueNode: Node) {
        self.name = name
        self.file = file
        self.keyNode = keyNode
        self.valueNode = valueNode
        self.resolved = Mutex(nil)
    }

    /// Definitions for every entry of a mapping node, in document order.
    static func all(in mapping: Node, file: String) -> [VariableDefinition] {
        guard let pairs = mapping.pairs else { return [] }
        return pairs.map { entry($0, file: file) }
    }

    /// The definition of one mapping entry `name: value` of `file`.
    static func entry(_ pair: Node.Pair, file: String) -> VariableDefinition {
        VariableDefinition(name: pair.key.value.keyString, file: file, keyNode: pair.key, valueNode: pair.value)
    }
}

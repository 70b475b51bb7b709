/// The inventory in the shapes `ansible-inventory` prints: `--list`, `--host` and `--graph`.
public struct InventoryListing: Sendable {
    /// The inventory shown.
    public let inventory: Inventory

    /// Wraps an inventory.
    public init(_ inventory: Inventory) { self.inventory = inventory }

    /// The serialisation profile ansible-core 2.19 names in `_meta.profile`.
    public static let profile = "inventory_legacy"

    /// `ansible-inventory --list`: `_meta.hostvars` (hosts with no variables left out,
    /// values as that profile prints them), `_meta.profile`, and one object per
    /// non-empty group with its direct `hosts` and `children`.
    public var list: Value {
        var hostvars: [(String, Value)] = []
        for host in inventory.hostNames {
            guard let vars = inventory.variables(of: host), !vars.isEmpty else { continue }
            hostvars.append((host, .object(vars.definitions.map { ($0.name, $0.listedValue ?? $0.value) })))
        }
        let meta = Value.object([("hostvars", .object(hostvars)), ("profile", .string(InventoryListing.profile))])
        return .object([("_meta", meta)] + groupEntries)
    }

    /// The groups part of `list`: one entry per non-empty group, `all` first, then depth first.
    var groupEntries: [(String, Value)] {
        var out: [(String, Value)] = []
        var seen: Set<String> = []
        func visit(_ name: String) {
            guard let group = inventory.group(named: name) else { return }
            var entry: [(String, Value)] = []
            if !group.children.isEmpty { entry.append(("children", .array(group.children.map(Value.string)))) }
            if name != "all", !group.hosts.isEmpty { entry.append(("hosts", .array(group.hosts.map(Value.string)))) }
            if !entry.isEmpty { out.append((name, .object(entry))) }
            for child in group.children where seen.insert(child).inserted { visit(child) }
        }
        visit("all")
        return out
    }

    /// `ansible-inventory --host NAME`: the host's variables without magic ones; nil for an unknown host.
    public func host(_ name: String) -> Value? {
        inventory.variables(of: name)?.value
    }

    /// `host(name)` as ansible-inventory prints it (sorted keys, 4-space indent, Python's
    /// `Infinity`/`NaN`); nil for an unknown host.
    public func hostJSON(_ name: String) -> String? {
        host(name).map { JSONWriter.string($0, pretty: true, sortKeys: true, pythonNonFinite: true) }
    }

    /// `ansible-inventory --graph [GROUP]`: the tree of groups (`@name:`) and their direct hosts.
    public func graph(from group: String = "all") -> String? {
        guard inventory.group(named: group) != nil else { return nil }
        var lines: [String] = []
        func line(_ text: String, _ depth: Int) {
            lines.append(depth == 0 ? text : String(repeating: "  |", count: depth) + "--" + text)
        }
        func visit(_ name: String, _ depth: Int) {
            guard let g = inventory.group(named: name) else { return }
            line("@\(name):", depth)
            for child in g.children { visit(child, depth + 1) }
            if name != "all" { for host in g.hosts { line(host, depth + 1) } }
        }
        visit(group, 0)
        return lines.joined(separator: "\n")
    }

    /// The tree as data for `--graph --format json`: `{"name", "hosts", "children"}` per group.
    public func graphTree(from group: String = "all") -> Value? {
        guard let g = inventory.group(named: group) else { return nil }
        let hosts: [Value] = group == "all" ? [] : g.hosts.map(Value.string)
        return .object([
            ("name", .string(group)),
            ("hosts", .array(hosts)),
            ("children", .array(g.children.compactMap { graphTree(from: $0) })),
        ])
    }
}

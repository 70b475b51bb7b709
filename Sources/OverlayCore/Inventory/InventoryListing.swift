/// The inventory in the shapes `ansible-inventory` prints: `--list`, `--host` and `--graph`.
public struct InventoryListing: Sendable {
    /// The inventory shown.
    public let inventory: Inventory

    /// Wraps an inventory.
    public init(_ inventory: Inventory) { self.inventory = inventory }

    /// `ansible-inventory --list`: `_meta.hostvars` (hosts with no variables left out)
    /// and one object per non-empty group with its direct `hosts` and `children`.
    public var list: Value {
        var hostvars: [(String, Value)] = []
        for host in inventory.hostNames {
            guard let vars = inventory.variables(of: host), !vars.isEmpty else { continue }
            hostvars.append((host, vars.value))
        }
        return .object([("_meta", .object([("hostvars", .object(hostvars))]))] + groupEntries)
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

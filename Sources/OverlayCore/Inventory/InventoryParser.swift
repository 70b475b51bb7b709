import Foundation

/// Reads the YAML inventory tree into groups and hosts the way Ansible's `yaml`
/// inventory plugin and `InventoryData` do, reporting what Ansible would refuse.
///
/// Order matters as much as content: Ansible lists hosts and child groups in the
/// order it meets them, `all` always starts with `ungrouped`, and groups defined
/// outside `all` join it only at the end (reconcile).
struct InventoryParser {
    let file: String
    let limits: InventoryLimits
    private(set) var groups: [String: InventoryGroup] = [:]
    /// Group names in the order Ansible created them (`all`, `ungrouped`, then parse order).
    private(set) var groupOrder: [String] = []
    private(set) var hosts: [String: InventoryHost] = [:]
    /// Host names in the order they were first listed.
    private(set) var hostOrder: [String] = []
    private(set) var diagnostics: [Diagnostic] = []
    /// Where each group was first listed under a `children:` key.
    private var childKeys: [String: Node] = [:]
    /// Host names listed so far, ranges counted expanded (bounds the work of re-listings).
    private var entries = 0
    /// Bytes of host names listed so far (bounds the memory of long names times big ranges).
    private var nameBytes = 0
    /// Set once a limit was hit: the rest of the hosts are skipped, with one diagnostic.
    private var overLimit = false

    static let sections = ["vars", "children", "hosts"]

    init(file: String, limits: InventoryLimits = .standard) {
        self.file = file
        self.limits = limits
        addGroup("all")
        addGroup("ungrouped")
        _ = addChild("ungrouped", to: "all", at: nil)
    }

    /// Parses the whole inventory document, then reconciles it like Ansible.
    mutating func parse(_ root: Node) {
        if let problem = VaultFile.problem(root, file: file, what: "inventory") {
            diagnostics.append(problem)
            return
        }
        guard let pairs = root.pairs else {
            let what = root.isNull ? "is empty" : "is a \(root.typeName)"
            report(root, "inventory.syntax", "the inventory \(what); it must be a mapping of groups, starting with 'all:'")
            return
        }
        if let plugin = root.keyNode("plugin") {
            report(
                plugin, "inventory.syntax",
                "this is an inventory plugin configuration, not a YAML inventory; overlay reads only YAML inventories")
            return
        }
        for pair in pairs {
            guard let name = groupName(pair.key) else { continue }
            parseGroup(name, pair.value, key: pair.key)
        }
        reconcile()
    }

    private mutating func report(_ node: Node, _ rule: String, _ severity: Severity = .error, _ message: String) {
        diagnostics.append(Diagnostic(file: file, at: node.mark, severity, rule: rule, message))
    }

    private mutating func report(_ node: Node, _ rule: String, _ message: String) {
        report(node, rule, .error, message)
    }

    private mutating func groupName(_ key: Node) -> String? {
        if case .string(let s) = key.value, !s.isEmpty { return s }
        report(key, "inventory.syntax", "group name \(key.scalarText.map { "'\($0)'" } ?? "here") must be a non-empty string; quote it")
        return nil
    }

    /// Parses one group definition; returns false when it is not a group at all.
    @discardableResult
    private mutating func parseGroup(_ name: String, _ node: Node, key: Node) -> Bool {
        guard node.pairs != nil || node.isNull else {
            report(
                node, "inventory.syntax",
                "group '\(name)' must be a mapping with 'hosts', 'vars' or 'children' (or empty), not a \(node.typeName)")
            return false
        }
        addGroup(name)
        for pair in node.pairs ?? [] {
            let section = pair.key.scalarText ?? ""
            guard InventoryParser.sections.contains(section) else {
                let hint = Suggest.closest(section, in: InventoryParser.sections).map { " — did you mean '\($0)'?" } ?? ""
                report(
                    pair.key, "inventory.unknown-key", .warning,
                    "unknown key '\(section)' in group '\(name)'; Ansible skips it (a group holds only hosts, vars and children)\(hint)")
                continue
            }
            guard let entries = sectionEntries(pair.value, section: section, group: name) else { continue }
            for entry in entries {
                switch section {
                case "vars": setGroupVariable(name, entry)
                case "children": parseChild(entry, of: name)
                default: parseHosts(entry, group: name)
                }
            }
        }
        return true
    }

    /// A section's entries: a mapping, a single name as a string, nothing for null.
    private mutating func sectionEntries(_ node: Node, section: String, group: String) -> [Node.Pair]? {
        if node.pairs == nil, node.isNull { return nil }
        if let pairs = node.pairs { return pairs }
        if case .string = node.value {
            return [Node.Pair(key: node, value: Node(.scalar("", .plain), mark: node.mark))]
        }
        report(node, "inventory.syntax", "'\(section)' of group '\(group)' must be a mapping, not a \(node.typeName)")
        return nil
    }

    private mutating func setGroupVariable(_ group: String, _ pair: Node.Pair) {
        let name = pair.key.value.keyString
        guard name == "ansible_group_priority" else {
            groups[group]?.vars.append(VariableDefinition.entry(pair, file: file))
            return
        }
        switch pair.value.value {
        case .int(let p): groups[group]?.priority = p
        case .bool(let b): groups[group]?.priority = b ? 1 : 0
        case .string(let s) where Int(s.trimmingCharacters(in: .whitespaces)) != nil:
            groups[group]?.priority = Int(s.trimmingCharacters(in: .whitespaces)) ?? 1
        default:
            report(
                pair.value, "inventory.group-priority",
                "ansible_group_priority of group '\(group)' must be an integer, not a \(pair.value.typeName)")
        }
    }

    private mutating func parseChild(_ pair: Node.Pair, of parent: String) {
        guard let child = groupName(pair.key) else { return }
        guard pair.value.pairs != nil || pair.value.isNull else {
            report(
                pair.value, "inventory.not-a-group",
                "child '\(child)' of group '\(parent)' must be a group: a mapping with hosts, vars or children, or empty — not a \(pair.value.typeName)"
            )
            return
        }
        if childKeys[child] == nil { childKeys[child] = pair.key }
        guard parseGroup(child, pair.value, key: pair.key) else { return }
        _ = addChild(child, to: parent, at: pair.key)
    }

    private mutating func parseHosts(_ pair: Node.Pair, group: String) {
        guard case .string(let key) = pair.key.value, !key.isEmpty else {
            report(pair.key, "inventory.syntax", "host name \(pair.key.scalarText.map { "'\($0)'" } ?? "here") must be a string; quote it")
            return
        }
        guard pair.value.pairs != nil || pair.value.isNull else {
            report(
                pair.value, "inventory.syntax",
                "host '\(key)' must map to its variables (a mapping) or nothing, not a \(pair.value.typeName)")
            return
        }
        guard !overLimit, let range = expandedRange(key, at: pair.key) else { return }
        // Printable ASCII is the common case; Unicode properties are looked up only beyond it.
        if !key.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }),
            let bad = key.unicodeScalars.first(where: { $0.properties.isWhitespace || $0.properties.generalCategory == .control })
        {
            let what = bad == "\n" ? "a line break" : bad.properties.isWhitespace ? "whitespace" : "a control character"
            report(
                pair.key, "inventory.host-name",
                "host name '\(key.debugDescription.dropFirst().dropLast())' contains \(what) (U+\(String(bad.value, radix: 16, uppercase: true))); overlay writes host names into crontab marker lines and logs, where it would break the line — rename the host"
            )
        }
        let vars = VariableDefinition.all(in: pair.value, file: file)
        for name in range.hosts {
            if hosts[name] == nil {
                var host = InventoryHost(name: name, file: file, keyNode: pair.key)
                if let port = range.port {
                    host.vars.append(
                        VariableDefinition(name: "ansible_port", value: .int(port), file: file, keyNode: pair.key, valueNode: pair.key))
                }
                hosts[name] = host
                hostOrder.append(name)
            }
            addHost(name, to: group)
            hosts[name]?.vars += vars
        }
    }

    /// The hosts of `key`, counted before they are expanded and refused past the limits.
    private mutating func expandedRange(_ key: String, at node: Node) -> HostRange? {
        let count: Int
        let range: HostRange
        do {
            count = try HostRange.count(key)
            let (bytes, overflow) = count.multipliedReportingOverflow(by: key.utf8.count)
            if count > limits.maxHosts || entries > limits.maxHostEntries - count
                || overflow || nameBytes > limits.maxNameBytes - bytes
            {
                refuseHosts(key, count: count, at: node)
                return nil
            }
            range = try HostRange(key)
            entries += count
            nameBytes += bytes
        } catch {
            report(node, "inventory.host-range", "invalid host range in '\(key)': \(error.description)")
            return nil
        }
        if range.hosts.isEmpty {
            report(node, "inventory.host-range", "host range '\(key)' names no hosts; check its begin, end and step")
        }
        if hosts.count + count > limits.maxHosts {
            let new = Set(range.hosts).filter { hosts[$0] == nil }.count
            if hosts.count + new > limits.maxHosts {
                refuseHosts(key, count: count, at: node)
                return nil
            }
        }
        return range
    }

    private mutating func refuseHosts(_ key: String, count: Int, at node: Node) {
        overLimit = true
        let named = count == Int.max ? "more than \(Int.max)" : count.formatted(.number)
        let what = key.contains("[") ? "host range '\(key)' names \(named) hosts" : "host '\(key)'"
        report(
            node, "inventory.host-limit",
            "\(what), past overlay's limit of \(limits.maxHosts.formatted(.number)) hosts per inventory (\(limits.maxHostEntries.formatted(.number)) host listings, \(limits.maxNameBytes / 1_048_576) MiB of host names); overlay counts a range before expanding it and reads no more hosts after this one — narrow the range or split the inventory"
        )
    }

    private mutating func addGroup(_ name: String) {
        guard groups[name] == nil else { return }
        groups[name] = InventoryGroup(name: name)
        groupOrder.append(name)
    }

    private mutating func addHost(_ host: String, to group: String) {
        // The host's own short group list says whether the group lists it already
        // (addHost and removeHost keep both sides in step); no copy of the group is held
        // while its host list grows, so appending stays in place.
        guard groups[group] != nil, hosts[host]?.groups.contains(group) != true else { return }
        groups[group]?.hosts.append(host)
        hosts[host]?.groups.append(group)
    }

    private mutating func removeHost(_ host: String, from group: String) {
        groups[group]?.hosts.removeAll { $0 == host }
        hosts[host]?.groups.removeAll { $0 == group }
    }

    /// Adds the edge parent → child unless it exists or would make a group its own ancestor.
    private mutating func addChild(_ child: String, to parent: String, at key: Node?) -> Bool {
        guard let p = groups[parent], !p.children.contains(child) else { return false }
        if child == parent || ancestors(of: parent).contains(child) {
            let loop = child == parent ? "a child of itself" : "its own ancestor (through '\(parent)')"
            if let key {
                report(
                    key, "inventory.cycle",
                    "group '\(child)' under '\(parent)' would make '\(child)' \(loop); remove one of the 'children:' entries that close the loop"
                )
            }
            return false
        }
        groups[parent]?.children.append(child)
        if groups[child]?.parents.contains(parent) == false { groups[child]?.parents.append(parent) }
        return true
    }

    /// Every group above `group` (not including itself).
    func ancestors(of group: String) -> Set<String> {
        var seen: Set<String> = []
        var stack = groups[group]?.parents ?? []
        while let g = stack.popLast() {
            if seen.insert(g).inserted { stack += groups[g]?.parents ?? [] }
        }
        return seen
    }

    /// Ansible's reconcile_inventory: orphans join `all`, lone hosts join `ungrouped`.
    private mutating func reconcile() {
        for name in groupOrder where name != "all" && groups[name]?.parents.isEmpty == true {
            _ = addChild(name, to: "all", at: nil)
        }
        // A host's groups with their ancestors decide: in `ungrouped` and something else →
        // leave `ungrouped`; in nothing but `all` → join it. Summarised once per group, not per host.
        var reach: [String: (ungrouped: Bool, other: Bool)] = [:]
        for name in groupOrder {
            let up = ancestors(of: name).union([name])
            reach[name] = (up.contains("ungrouped"), up.contains { $0 != "all" && $0 != "ungrouped" })
        }
        for name in hostOrder {
            var inUngrouped = false
            var inOther = false
            for g in hosts[name]?.groups ?? [] {
                let r = reach[g] ?? (g == "ungrouped", g != "all" && g != "ungrouped")
                inUngrouped = inUngrouped || r.ungrouped
                inOther = inOther || r.other
            }
            if inUngrouped {
                if inOther { removeHost(name, from: "ungrouped") }
            } else if !inOther {
                addHost(name, to: "ungrouped")
            }
        }
        for (child, key) in childKeys where hosts[child] != nil {
            report(
                key, "inventory.not-a-group",
                "'\(child)' is a host but is listed under 'children:', which holds groups; list it under 'hosts:' instead")
        }
        computeDepths()
    }

    /// Depth = longest path from `all`, as Ansible's incremental depth updates end up.
    private mutating func computeDepths() {
        var depth: [String: Int] = ["all": 0]
        var queue = ["all"]
        var i = 0
        while i < queue.count {
            let g = queue[i]
            i += 1
            let d = depth[g] ?? 0
            for c in groups[g]?.children ?? [] where (depth[c] ?? -1) < d + 1 {
                depth[c] = d + 1
                queue.append(c)
            }
        }
        for (name, d) in depth { groups[name]?.depth = d }
    }
}

/// Ansible's variable precedence for inventory sources (SPEC §2.4), lowest first:
///
/// 1. inline vars of `all`;
/// 2. inline vars of the host's other groups, ordered by depth, then
///    `ansible_group_priority`, then name (a later group wins);
/// 3. `group_vars/all`;
/// 4. `group_vars/<group>` in the same group order;
/// 5. inline host vars;
/// 6. `host_vars/<host>`.
///
/// Each step replaces whole values (Ansible's default `hash_behaviour = replace`).
struct VariablePrecedence {
    let groups: [String: InventoryGroup]
    let groupFileVars: [String: [VariableDefinition]]
    let hostFileVars: [String: [VariableDefinition]]

    /// Groups of a host (ancestors included, `all` excluded) in precedence order.
    func ordered(_ names: Set<String>) -> [InventoryGroup] {
        names.subtracting(["all"]).compactMap { groups[$0] }.sorted(by: VariablePrecedence.precedes)
    }

    /// Ansible's sort_groups key: (depth, priority, name), names compared by code point as Python does.
    static func precedes(_ a: InventoryGroup, _ b: InventoryGroup) -> Bool {
        if a.depth != b.depth { return a.depth < b.depth }
        if a.priority != b.priority { return a.priority < b.priority }
        return a.name.unicodeScalars.lexicographicallyPrecedes(b.name.unicodeScalars)
    }

    /// Steps 1–4: what every host with exactly these groups (in precedence order) gets.
    func groupVariables(ordered: [InventoryGroup]) -> HostVariables {
        var vars = HostVariables()
        vars.apply(groups["all"]?.vars ?? [])
        for group in ordered { vars.apply(group.vars) }
        vars.apply(groupFileVars["all"] ?? [])
        for group in ordered { vars.apply(groupFileVars[group.name] ?? []) }
        return vars
    }

    /// Steps 5–6 on top of the host's group variables.
    func variables(for host: InventoryHost, groupVariables: HostVariables) -> HostVariables {
        var vars = groupVariables
        vars.apply(host.vars)
        vars.apply(hostFileVars[host.name] ?? [])
        return vars
    }
}

/// One host's variables after precedence, each with the definition that won.
public struct HostVariables: Sendable {
    /// The winning definitions, in first-defined order (as Python's dict.update keeps it).
    public private(set) var definitions: [VariableDefinition] = []
    /// Positions by name, built only past `linearLimit` names: a short scan is cheaper
    /// than hashing for the dozen or so variables most hosts have.
    private var index: [String: Int]?
    private static let linearLimit = 24
    /// Positions of `definitions` in name order (`<`), kept as names arrive: hosts share
    /// their groups' order and add a few names each, so `--list` (sorted keys) sorts
    /// nothing per host.
    private(set) var sortedPositions: [Int] = []

    /// Applies a later source: each of its names replaces the earlier value.
    mutating func apply(_ defs: [VariableDefinition]) {
        for def in defs {
            if let i = position(of: def.name) {
                definitions[i] = def
            } else {
                index?[def.name] = definitions.count
                insertSorted(def.name, position: definitions.count)
                definitions.append(def)
                if index == nil, definitions.count > HostVariables.linearLimit {
                    index = Dictionary(uniqueKeysWithValues: definitions.enumerated().map { ($1.name, $0) })
                }
            }
        }
    }

    /// Inserts a new name's position after every name that sorts before or equal to it.
    private mutating func insertSorted(_ name: String, position: Int) {
        var low = 0
        var high = sortedPositions.count
        while low < high {
            let mid = (low + high) / 2
            if name < definitions[sortedPositions[mid]].name { high = mid } else { low = mid + 1 }
        }
        sortedPositions.insert(position, at: low)
    }

    private func position(of name: String) -> Int? {
        if let index { return index[name] }
        return definitions.firstIndex { $0.name == name }
    }

    /// The definition that won for `name`.
    public subscript(name: String) -> VariableDefinition? {
        position(of: name).map { definitions[$0] }
    }

    /// True when the host has no variables at all.
    public var isEmpty: Bool { definitions.isEmpty }

    /// The variables as an object (no magic variables).
    public var value: Value { .object(definitions.map { ($0.name, $0.value) }) }
}

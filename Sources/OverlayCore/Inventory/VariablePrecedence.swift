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

    /// The variables of `host`, whose groups in precedence order are `ordered`.
    func variables(for host: InventoryHost, ordered: [InventoryGroup]) -> HostVariables {
        var vars = HostVariables()
        vars.apply(groups["all"]?.vars ?? [])
        for group in ordered { vars.apply(group.vars) }
        vars.apply(groupFileVars["all"] ?? [])
        for group in ordered { vars.apply(groupFileVars[group.name] ?? []) }
        vars.apply(host.vars)
        vars.apply(hostFileVars[host.name] ?? [])
        return vars
    }
}

/// One host's variables after precedence, each with the definition that won.
public struct HostVariables: Sendable {
    /// The winning definitions, in first-defined order (as Python's dict.update keeps it).
    public private(set) var definitions: [VariableDefinition] = []
    private var index: [String: Int] = [:]

    /// Applies a later source: each of its names replaces the earlier value.
    mutating func apply(_ defs: [VariableDefinition]) {
        for def in defs {
            if let i = index[def.name] {
                definitions[i] = def
            } else {
                index[def.name] = definitions.count
                definitions.append(def)
            }
        }
    }

    /// The definition that won for `name`.
    public subscript(name: String) -> VariableDefinition? {
        index[name].map { definitions[$0] }
    }

    /// True when the host has no variables at all.
    public var isEmpty: Bool { definitions.isEmpty }

    /// The variables as an object (no magic variables).
    public var value: Value { .object(definitions.map { ($0.name, $0.value) }) }
}

/// What a schema says about the keys of one mapping, with `$ref`s and the branches of
/// `allOf`/`anyOf`/`oneOf` folded in: the names it lists, the patterns it accepts, and
/// whether the mapping's keys are free names (`additionalProperties` with a schema).
struct SchemaKeyView {
    private(set) var properties: [String: [JSONSchema]] = [:]
    private(set) var patterns: [(SchemaPattern, JSONSchema)] = []
    private(set) var additional: [JSONSchema] = []
    private(set) var items: [JSONSchema] = []
    /// True when a schema closes the mapping (`additionalProperties: false`); the schema
    /// validator reports its unknown keys itself.
    private(set) var closed = false

    /// The view of `schemas` within `compiled` (for `$ref`).
    init(_ schemas: [JSONSchema], in compiled: CompiledSchema) {
        var pending = schemas.map { ($0, 0) }
        var seen = Set<String>()
        while let (schema, hops) = pending.popLast() {
            guard hops < 16, seen.insert(schema.pointer).inserted || schema.pointer.isEmpty else { continue }
            let rules = schema.rules
            for (name, child) in rules.properties { properties[name, default: []].append(child) }
            patterns += rules.patternProperties
            if let extra = rules.additionalProperties {
                if extra.rules.rejectsAll { closed = true } else { additional.append(extra) }
            }
            items += rules.prefixItems + (rules.items.map { [$0] } ?? [])
            if let ref = rules.ref, let target = compiled.resolve(ref) { pending.append((target, hops + 1)) }
            for branch in rules.allOf + rules.anyOf + rules.oneOf { pending.append((branch, hops + 1)) }
        }
    }

    /// True when the mapping's keys are names the user chooses.
    var namesAreFree: Bool { !additional.isEmpty }

    /// The names the schema lists.
    var names: [String] { Array(properties.keys) }

    /// True when the schema accepts `key` by name or pattern.
    func knows(_ key: String) -> Bool {
        properties[key] != nil || patterns.contains { $0.0.matches(key) }
    }

    /// The schemas that apply to the value of `key`.
    func children(_ key: String) -> [JSONSchema] {
        let matched = (properties[key] ?? []) + patterns.filter { $0.0.matches(key) }.map(\.1)
        return matched.isEmpty ? additional : matched
    }
}

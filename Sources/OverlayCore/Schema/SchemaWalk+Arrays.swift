/// List keywords: prefixItems, items, contains, minItems, maxItems, uniqueItems.
extension SchemaWalk {
    func checkArray(_ node: Node, _ items: [Node], _ rules: JSONSchema.Rules, path: String, depth: Int, into out: inout [SchemaFinding]) {
        let name = InstancePath.name(path)
        for (index, item) in items.enumerated() {
            let schema = index < rules.prefixItems.count ? rules.prefixItems[index] : rules.items
            guard let schema else { continue }
            check(item, schema, path: InstancePath.child(path, index: index), depth: depth + 1, hops: 0, into: &out)
        }
        if let min = rules.minItems, items.count < min {
            out.append(range(node, path, "\(name) has \(items.count) items; it must have at least \(min)"))
        }
        if let max = rules.maxItems, items.count > max {
            out.append(range(node, path, "\(name) has \(items.count) items; it must have at most \(max) — remove some"))
        }
        if let contains = rules.contains {
            var matching = 0
            for (index, item) in items.enumerated() {
                var scratch: [SchemaFinding] = []
                check(item, contains, path: InstancePath.child(path, index: index), depth: depth + 1, hops: 0, into: &scratch)
                if !scratch.contains(where: \.isError) { matching += 1 }
            }
            let min = rules.minContains ?? 1
            if matching < min {
                out.append(
                    SchemaFinding(
                        rule: "schema.contains", mark: node.mark,
                        message: "\(name) has \(matching) items of the required kind; it needs at least \(min) — add one", path: path))
            }
            if let max = rules.maxContains, matching > max {
                out.append(
                    SchemaFinding(
                        rule: "schema.contains", mark: node.mark,
                        message: "\(name) has \(matching) items of the restricted kind; it may have at most \(max)", path: path))
            }
        }
        if rules.uniqueItems {
            var seen: [String: Int] = [:]
            for (index, item) in items.enumerated() {
                let key = JSONEquality.canonicalKey(item.value)
                if let first = seen[key] {
                    out.append(
                        SchemaFinding(
                            rule: "schema.unique-items", mark: item.mark,
                            message:
                                "\(InstancePath.name(InstancePath.child(path, index: index))) repeats item \(first) of \(name); list each value once",
                            path: InstancePath.child(path, index: index)))
                } else {
                    seen[key] = index
                }
            }
        }
    }
}

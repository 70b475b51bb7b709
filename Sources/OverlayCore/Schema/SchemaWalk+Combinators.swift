/// allOf, anyOf, oneOf, not and if/then/else, with readable reports for failed choices.
extension SchemaWalk {
    func checkCombinators(_ node: Node, _ rules: JSONSchema.Rules, path: String, depth: Int, hops: Int, into out: inout [SchemaFinding]) {
        for schema in rules.allOf {
            check(node, schema, path: path, depth: depth, hops: hops + 1, into: &out)
        }
        if !rules.anyOf.isEmpty {
            let attempts = rules.anyOf.map { attempt(node, $0, path: path, depth: depth, hops: hops) }
            if let passing = attempts.first(where: { !$0.contains(where: \.isError) }) {
                out += passing
            } else {
                out += explain(node, attempts, rules.anyOf, rule: "schema.any-of", path: path)
            }
        }
        if !rules.oneOf.isEmpty {
            let attempts = rules.oneOf.map { attempt(node, $0, path: path, depth: depth, hops: hops) }
            let passing = attempts.indices.filter { !attempts[$0].contains(where: \.isError) }
            if passing.count == 1 {
                out += attempts[passing[0]]
            } else if passing.count > 1 {
                let which = ValueText.list(passing.map { "#\($0 + 1)" }, "and")
                out.append(
                    SchemaFinding(
                        rule: "schema.one-of", mark: node.mark,
                        message:
                            "\(InstancePath.name(path)) matches more than one of the alternatives (\(which)) where exactly one is allowed; make it fit only one",
                        path: path))
            } else {
                out += explain(node, attempts, rules.oneOf, rule: "schema.one-of", path: path)
            }
        }
        if let not = rules.not {
            let result = attempt(node, not, path: path, depth: depth, hops: hops)
            if !result.contains(where: \.isError) {
                out.append(
                    SchemaFinding(
                        rule: "schema.not", mark: node.mark,
                        message:
                            "\(InstancePath.name(path)) has a form the schema rules out\(not.summary.map { " (\($0))" } ?? ""); change it",
                        path: path))
            }
        }
        if let condition = rules.ifSchema {
            let holds = !attempt(node, condition, path: path, depth: depth, hops: hops).contains(where: \.isError)
            if let branch = holds ? rules.thenSchema : rules.elseSchema {
                check(node, branch, path: path, depth: depth, hops: hops + 1, into: &out)
            }
        }
    }

    /// The findings of one alternative, kept apart from the real report.
    private func attempt(_ node: Node, _ schema: JSONSchema, path: String, depth: Int, hops: Int) -> [SchemaFinding] {
        var findings: [SchemaFinding] = []
        check(node, schema, path: path, depth: depth, hops: hops + 1, into: &findings)
        return findings
    }

    /// Reports a node that fits no alternative: the errors of the one alternative that
    /// clearly fits (right type, fewest errors), else one summary finding.
    private func explain(
        _ node: Node, _ attempts: [[SchemaFinding]], _ branches: [JSONSchema], rule: String, path: String
    ) -> [SchemaFinding] {
        let errors = attempts.map { $0.filter(\.isError) }
        let isTypeMiss: ([SchemaFinding]) -> Bool = { $0.contains { $0.rule == "schema.type" && $0.path == path } }
        let fitting = errors.indices.filter { !isTypeMiss(errors[$0]) }
        if let fewest = fitting.map({ errors[$0].count }).min() {
            let best = fitting.filter { errors[$0].count == fewest }
            if best.count == 1 { return errors[best[0]] }
            // `anyOf: [{enum}, {${VAR} pattern}]`: the enum's "did you mean" says more than the
            // reference's pattern, which only missed because the value is not a reference.
            let onlyPattern: ([SchemaFinding]) -> Bool = { $0.allSatisfy { $0.rule == "schema.pattern" && $0.path == path } }
            let enums = best.filter { errors[$0].contains { $0.rule == "schema.enum" && $0.path == path } }
            if enums.count == 1, best.allSatisfy({ $0 == enums[0] || onlyPattern(errors[$0]) }) { return errors[enums[0]] }
        }
        let name = InstancePath.name(path)
        if fitting.isEmpty {
            // Every alternative wants another type: that is a type error.
            let wanted = Array(Set(branches.flatMap(expectedTypes))).sorted { $0.rawValue < $1.rawValue }
            let shown = Instance(node)
            let words = wanted.filter { !($0 == .integer && wanted.contains(.number)) }.map { ValueText.article(ValueText.typeWord($0)) }
            if !words.isEmpty {
                return [
                    SchemaFinding(
                        rule: "schema.type", mark: node.mark,
                        message: "\(name) must be \(ValueText.list(words)), not \(ValueText.article(shown.typeWord)); change the value",
                        path: path)
                ]
            }
        }
        let reasons = errors.enumerated().map { "#\($0.offset + 1): \($0.element.first?.message ?? "no match")" }
        return [
            SchemaFinding(
                rule: rule, mark: node.mark,
                message:
                    "\(name) matches none of the \(branches.count) allowed forms (\(reasons.joined(separator: "; "))); change it to fit one of them",
                path: path)
        ]
    }

    /// The types an alternative accepts, following `$ref`s a few levels.
    private func expectedTypes(_ schema: JSONSchema) -> [JSONSchema.JSONType] {
        var current = schema
        for _ in 0..<8 {
            if let types = current.rules.types { return types }
            if let const = current.rules.constValue, let value = const { return [Instance.type(of: value)] }
            guard let ref = current.rules.ref, let next = validator.schema.resolve(ref) else { break }
            current = next
        }
        if let values = current.rules.enumValues { return Array(Set(values.map(Instance.type(of:)))) }
        return []
    }
}

import Foundation

/// Keywords about the value itself: enum, const, numeric bounds, string length and pattern.
extension SchemaWalk {
    func checkValue(_ node: Node, _ instance: Instance, _ rules: JSONSchema.Rules, path: String, into out: inout [SchemaFinding]) {
        guard rules.enumValues != nil || rules.constValue != nil else { return }
        let value = node.scalarText != nil ? instance.value : node.value
        if let allowed = rules.enumValues, !allowed.contains(where: { JSONEquality.equal($0, value) }) {
            let shown = allowed.map(ValueText.show)
            var message = "\(InstancePath.name(path)) is \(ValueText.show(value)), which is not one of: \(shown.joined(separator: ", "))"
            let names = allowed.compactMap(\.stringValue)
            if case .string(let s) = value, let near = Suggest.closest(s, in: names) {
                message += "; did you mean '\(near)'?"
            } else if let text = node.scalarText, instance.type != .string, names.contains(text) {
                message += "; quote it (\"\(text)\") so YAML reads it as a string"
            } else {
                message += "; use one of the allowed values"
            }
            out.append(SchemaFinding(rule: "schema.enum", mark: node.mark, message: message, path: path))
        }
        if let constant = rules.constValue, let expected = constant, !JSONEquality.equal(expected, value) {
            out.append(
                SchemaFinding(
                    rule: "schema.const", mark: node.mark,
                    message:
                        "\(InstancePath.name(path)) must be exactly \(ValueText.show(expected)), not \(ValueText.show(value)); change it to \(ValueText.show(expected))",
                    path: path))
        }
    }

    func checkScalar(_ node: Node, _ instance: Instance, _ rules: JSONSchema.Rules, path: String, into out: inout [SchemaFinding]) {
        if let n = instance.number { checkNumber(node, n, rules, path: path, into: &out) }
        guard case .string(let s) = instance.value else { return }
        let length = s.unicodeScalars.count
        let name = InstancePath.name(path)
        if let min = rules.minLength, length < min {
            out.append(range(node, path, "\(name) is \(length) characters long; it must have at least \(min)"))
        }
        if let max = rules.maxLength, length > max {
            out.append(range(node, path, "\(name) is \(length) characters long; it must have at most \(max) — shorten it"))
        }
        if let pattern = rules.pattern, !pattern.matches(s) {
            if let custom = rules.errorMessage {
                out.append(customFinding(node, path, custom))
                return
            }
            out.append(
                SchemaFinding(
                    rule: "schema.pattern", mark: node.mark,
                    message:
                        "\(name) is \(ValueText.show(instance.value)), which does not match the pattern \(pattern.source); change it to match",
                    path: path))
        }
    }

    private func checkNumber(_ node: Node, _ n: Double, _ rules: JSONSchema.Rules, path: String, into out: inout [SchemaFinding]) {
        let name = InstancePath.name(path)
        let shown = node.scalarText ?? String(n)
        if let min = rules.minimum, n < min {
            out.append(range(node, path, "\(name) is \(shown); it must be at least \(SchemaWalk.show(min))"))
        }
        if let max = rules.maximum, n > max {
            out.append(range(node, path, "\(name) is \(shown); it must be at most \(SchemaWalk.show(max))"))
        }
        if let min = rules.exclusiveMinimum, n <= min {
            out.append(range(node, path, "\(name) is \(shown); it must be greater than \(SchemaWalk.show(min))"))
        }
        if let max = rules.exclusiveMaximum, n >= max {
            out.append(range(node, path, "\(name) is \(shown); it must be less than \(SchemaWalk.show(max))"))
        }
        if let step = rules.multipleOf {
            let quotient = n / step
            if !quotient.isFinite || quotient != quotient.rounded() {
                out.append(range(node, path, "\(name) is \(shown); it must be a multiple of \(SchemaWalk.show(step))"))
            }
        }
    }

    func range(_ node: Node, _ path: String, _ message: String) -> SchemaFinding {
        SchemaFinding(rule: "schema.range", mark: node.mark, message: message, path: path)
    }

    /// A bound as written: 3 rather than 3.0.
    static func show(_ d: Double) -> String {
        d == d.rounded() && abs(d) < 1e15 ? String(Int(d)) : String(d)
    }
}

/// Reading each keyword's value, with a clear message when it has the wrong shape.
extension SchemaCompiler {
    /// Compiles a keyword that asserts something about the instance itself.
    mutating func compileAssertion(_ key: String, _ value: Node, pointer: String, into rules: inout JSONSchema.Rules) -> Bool {
        switch key {
        case "type": rules.types = types(value)
        case "enum":
            if let items = value.items {
                rules.enumValues = items.map(\.value)
            } else {
                invalid(value.mark, "enum must be a list of allowed values")
            }
        case "const": rules.constValue = .some(value.value)
        case "required": rules.required = strings(value, key)
        case "dependentRequired":
            for pair in value.pairs ?? [] { rules.dependentRequired.append((pair.key.value.keyString, strings(pair.value, key))) }
        case "minimum": rules.minimum = number(value, key)
        case "maximum": rules.maximum = number(value, key)
        case "exclusiveMinimum": rules.exclusiveMinimum = number(value, key)
        case "exclusiveMaximum": rules.exclusiveMaximum = number(value, key)
        case "multipleOf":
            rules.multipleOf = number(value, key)
            if let m = rules.multipleOf, m <= 0 {
                invalid(value.mark, "multipleOf must be greater than 0")
                rules.multipleOf = nil
            }
        case "minLength": rules.minLength = count(value, key)
        case "maxLength": rules.maxLength = count(value, key)
        case "minItems": rules.minItems = count(value, key)
        case "maxItems": rules.maxItems = count(value, key)
        case "minProperties": rules.minProperties = count(value, key)
        case "maxProperties": rules.maxProperties = count(value, key)
        case "minContains": rules.minContains = count(value, key)
        case "maxContains": rules.maxContains = count(value, key)
        case "uniqueItems": rules.uniqueItems = boolean(value, key) ?? false
        case "pattern":
            guard let source = value.string else {
                invalid(value.mark, "pattern must be a regular expression string")
                break
            }
            rules.pattern = SchemaPattern(source)
            if rules.pattern == nil { invalid(value.mark, "pattern '\(source)' is not a valid regular expression; fix its syntax") }
        default: return false
        }
        return true
    }

    /// Compiles a keyword that applies subschemas.
    mutating func compileApplicator(_ key: String, _ value: Node, pointer: String, into rules: inout JSONSchema.Rules) -> Bool {
        switch key {
        case "properties":
            guard let pairs = value.pairs else {
                invalid(value.mark, "properties must map property names to schemas")
                break
            }
            for pair in pairs {
                let name = pair.key.value.keyString
                rules.properties[name] = compile(pair.value, pointer: pointer + "/" + SchemaCompiler.escape(name))
                rules.propertyOrder.append(name)
            }
        case "patternProperties":
            for pair in value.pairs ?? [] {
                let source = pair.key.value.keyString
                let schema = compile(pair.value, pointer: pointer + "/" + SchemaCompiler.escape(source))
                if let regex = SchemaPattern(source) {
                    rules.patternProperties.append((regex, schema))
                } else {
                    invalid(pair.key.mark, "patternProperties key '\(source)' is not a valid regular expression; fix its syntax")
                }
            }
        case "additionalProperties": rules.additionalProperties = compile(value, pointer: pointer)
        case "propertyNames": rules.propertyNames = compile(value, pointer: pointer)
        case "items":
            if value.items != nil {
                invalid(value.mark, "in draft 2020-12 items is one schema; use prefixItems for a list of positional schemas")
            } else {
                rules.items = compile(value, pointer: pointer)
            }
        case "prefixItems": rules.prefixItems = schemas(value, key, pointer: pointer)
        case "contains": rules.contains = compile(value, pointer: pointer)
        case "allOf": rules.allOf = schemas(value, key, pointer: pointer)
        case "anyOf": rules.anyOf = schemas(value, key, pointer: pointer)
        case "oneOf": rules.oneOf = schemas(value, key, pointer: pointer)
        case "not": rules.not = compile(value, pointer: pointer)
        case "if": rules.ifSchema = compile(value, pointer: pointer)
        case "then": rules.thenSchema = compile(value, pointer: pointer)
        case "else": rules.elseSchema = compile(value, pointer: pointer)
        default: return false
        }
        return true
    }

    private mutating func types(_ node: Node) -> [JSONSchema.JSONType]? {
        let names: [Node] = node.items ?? [node]
        var out: [JSONSchema.JSONType] = []
        for name in names {
            guard let text = name.string, let type = JSONSchema.JSONType(rawValue: text) else {
                let text = name.scalarText ?? name.typeName
                let all = JSONSchema.JSONType.allCases.map(\.rawValue)
                let hint = Suggest.closest(text, in: all).map { "did you mean '\($0)'?" } ?? "use one of \(all.joined(separator: ", "))"
                invalid(name.mark, "unknown type '\(text)'; \(hint)")
                continue
            }
            out.append(type)
        }
        return out.isEmpty ? nil : out
    }

    private mutating func schemas(_ node: Node, _ key: String, pointer: String) -> [JSONSchema] {
        guard let items = node.items, !items.isEmpty else {
            invalid(node.mark, "\(key) must be a non-empty list of schemas")
            return []
        }
        return items.enumerated().map { compile($1, pointer: pointer + "/\($0)") }
    }

    private mutating func strings(_ node: Node, _ key: String) -> [String] {
        guard let items = node.items else {
            invalid(node.mark, "\(key) must be a list of property names")
            return []
        }
        return items.compactMap { item in
            if let s = item.string { return s }
            invalid(item.mark, "\(key) entries must be strings")
            return nil
        }
    }

    mutating func boolean(_ node: Node, _ key: String) -> Bool? {
        if case .bool(let b) = node.value { return b }
        invalid(node.mark, "\(key) must be true or false")
        return nil
    }

    private mutating func number(_ node: Node, _ key: String) -> Double? {
        switch node.value {
        case .int(let i): return Double(i)
        case .double(let d) where d.isFinite: return d
        default:
            invalid(node.mark, "\(key) must be a number")
            return nil
        }
    }

    private mutating func count(_ node: Node, _ key: String) -> Int? {
        switch node.value {
        case .int(let i) where i >= 0: return i
        case .double(let d) where d >= 0 && d == d.rounded() && d < 1e15: return Int(d)
        default:
            invalid(node.mark, "\(key) must be a non-negative integer")
            return nil
        }
    }
}

/// A node's JSON type and, for scalars, its resolved value.
struct Instance {
    /// The JSON type; integral numbers are `.integer`.
    let type: JSONSchema.JSONType
    /// The resolved scalar value (`.null` placeholder for mappings and lists).
    let value: Value

    init(_ node: Node) {
        switch node.kind {
        case .mapping:
            type = .object
            value = .null
        case .sequence:
            type = .array
            value = .null
        case .scalar:
            value = node.value
            type = Instance.type(of: value)
        }
    }

    static func type(of value: Value) -> JSONSchema.JSONType {
        switch value {
        case .null: return .null
        case .bool: return .boolean
        case .int, .bigInt: return .integer
        case .double(let d): return d.isFinite && d == d.rounded() ? .integer : .number
        case .string: return .string
        case .array: return .array
        case .object: return .object
        }
    }

    /// True when the instance has one of `types` (an integer is also a number).
    func matches(_ types: [JSONSchema.JSONType]) -> Bool {
        types.contains(type) || (type == .integer && types.contains(.number))
    }

    /// The word for the instance's type in messages ("mapping", "list", "number" …).
    var typeWord: String {
        if case .double = value { return "number" }
        return ValueText.typeWord(type)
    }

    static func typeWord(of value: Value) -> String {
        if case .double = value { return "number" }
        return ValueText.typeWord(type(of: value))
    }

    /// The numeric value, when the instance is a number.
    var number: Double? {
        switch value {
        case .int(let i): return Double(i)
        case .bigInt(let digits): return Double(digits)
        case .double(let d): return d
        default: return nil
        }
    }
}

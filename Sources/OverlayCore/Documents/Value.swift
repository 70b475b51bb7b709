/// A plain data value: what a node means once its scalars are resolved.
///
/// Host variables, template contexts and JSON output use this type. Objects keep
/// their key order so output follows the source.
public enum Value: Sendable, Equatable {
    case null
    case bool(Bool)
    case int(Int)
    /// An integer outside `Int`'s range, as its decimal digits (with a leading `-` when
    /// negative): YAML and JSON allow any size, and Ansible keeps such numbers exact.
    case bigInt(String)
    case double(Double)
    case string(String)
    case array([Value])
    case object([(String, Value)])

    public static func == (lhs: Value, rhs: Value) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): return true
        case (.bool(let a), .bool(let b)): return a == b
        case (.int(let a), .int(let b)): return a == b
        case (.bigInt(let a), .bigInt(let b)): return a == b
        case (.double(let a), .double(let b)): return a == b || (a.isNaN && b.isNaN)
        case (.string(let a), .string(let b)): return a == b
        case (.array(let a), .array(let b)): return a == b
        case (.object(let a), .object(let b)):
            return a.count == b.count && zip(a, b).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        default: return false
        }
    }

    /// Resolves a node the way PyYAML's SafeLoader does (YAML 1.1 implicit types), with
    /// Ansible's tags: `!vault` is `{"__ansible_vault": text}` (never decrypted), `!unsafe`
    /// marks nothing here (its strings are plain strings; see `listing(_:)`).
    public init(_ node: Node) {
        self = ValueResolution.resolve(node, wrapUnsafe: false)
    }

    /// The value as `ansible-inventory --list` prints it under `_meta.hostvars`: strings
    /// under an `!unsafe` tag become `{"__ansible_unsafe": text}`; nil when the node holds
    /// no `!unsafe` tag (the value is then the same as `Value(node)`).
    public static func listing(_ node: Node) -> Value? {
        guard ValueResolution.containsUnsafe(node) else { return nil }
        return ValueResolution.resolve(node, wrapUnsafe: true)
    }

    /// Resolves one scalar's text to a typed value.
    public static func resolveScalar(_ text: String, style: Node.ScalarStyle, tag: String?) -> Value {
        ValueResolution.scalar(text, style: style, tag: tag, unsafe: false, wrapUnsafe: false)
    }

    /// The ciphertext when this is an Ansible Vault value (`!vault` in YAML), else nil.
    public var vaultCiphertext: String? {
        guard case .object(let pairs) = self, pairs.count == 1, pairs[0].0 == "__ansible_vault" else { return nil }
        return pairs[0].1.stringValue
    }

    /// True when this value is, or holds somewhere inside, an Ansible Vault value.
    public var containsVault: Bool {
        switch self {
        case .array(let items): return items.contains { $0.containsVault }
        case .object(let pairs): return vaultCiphertext != nil || pairs.contains { $0.1.containsVault }
        default: return false
        }
    }

    /// The value rendered as a mapping key (JSON keys are strings).
    public var keyString: String {
        switch self {
        case .string(let s): return s
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .int(let i): return String(i)
        case .bigInt(let digits): return digits
        case .double(let d): return PythonFloatText.repr(d)
        case .array, .object: return JSONWriter.string(self)
        }
    }

    /// A short type name for messages.
    public var typeName: String {
        switch self {
        case .null: return "null"
        case .bool: return "boolean"
        case .int, .bigInt: return "integer"
        case .double: return "number"
        case .string: return "string"
        case .array: return "list"
        case .object: return "mapping"
        }
    }

    /// The value under `key` of an object.
    public subscript(key: String) -> Value? {
        guard case .object(let pairs) = self else { return nil }
        return pairs.last(where: { $0.0 == key })?.1
    }

    /// The string if this is a string.
    public var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    /// Text for template substitution: scalars as written, containers as JSON.
    public var renderedText: String {
        switch self {
        case .null: return ""
        case .bool(let b): return b ? "True" : "False"
        case .int(let i): return String(i)
        case .bigInt(let digits): return digits
        case .double(let d): return PythonFloatText.repr(d)
        case .string(let s): return s
        case .array, .object: return JSONWriter.string(self)
        }
    }
}

/// A plain data value: what a node means once its scalars are resolved.
///
/// Host variables, template contexts and JSON output use this type. Objects keep
/// their key order so output follows the source.
public enum Value: Sendable, Equatable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case array([Value])
    case object([(String, Value)])

    public static func == (lhs: Value, rhs: Value) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): return true
        case (.bool(let a), .bool(let b)): return a == b
        case (.int(let a), .int(let b)): return a == b
        case (.double(let a), .double(let b)): return a == b || (a.isNaN && b.isNaN)
        case (.string(let a), .string(let b)): return a == b
        case (.array(let a), .array(let b)): return a == b
        case (.object(let a), .object(let b)):
            return a.count == b.count && zip(a, b).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        default: return false
        }
    }

    /// Resolves a node the way PyYAML's SafeLoader does (YAML 1.1 implicit types).
    public init(_ node: Node) {
        switch node.kind {
        case .scalar(let text, let style):
            self = Value.resolveScalar(text, style: style, tag: node.tag)
        case .sequence(let items):
            self = .array(items.map(Value.init))
        case .mapping(let pairs):
            var out: [(String, Value)] = []
            out.reserveCapacity(pairs.count)
            for pair in pairs {
                out.append((pair.key.value.keyString, Value(pair.value)))
            }
            self = .object(out)
        }
    }

    /// Resolves one scalar's text to a typed value.
    public static func resolveScalar(_ text: String, style: Node.ScalarStyle, tag: String?) -> Value {
        if let tag {
            switch tag {
            case "tag:yaml.org,2002:str", "!!str", "!": return .string(text)
            case "tag:yaml.org,2002:int", "!!int": return ScalarResolver.int(text).map(Value.int) ?? .string(text)
            case "tag:yaml.org,2002:float", "!!float":
                return (ScalarResolver.double(text) ?? Double(text)).map(Value.double) ?? .string(text)
            case "tag:yaml.org,2002:bool", "!!bool": return ScalarResolver.bool(text).map(Value.bool) ?? .string(text)
            case "tag:yaml.org,2002:null", "!!null": return .null
            default: return .string(text)
            }
        }
        guard style == .plain else { return .string(text) }
        return ScalarResolver.resolvePlain(text)
    }

    /// The value rendered as a mapping key (JSON keys are strings).
    public var keyString: String {
        switch self {
        case .string(let s): return s
        case .null: return "null"
        case .bool(let b): return b ? "true" : "false"
        case .int(let i): return String(i)
        case .double(let d): return String(d)
        case .array, .object: return JSONWriter.string(self)
        }
    }

    /// A short type name for messages.
    public var typeName: String {
        switch self {
        case .null: return "null"
        case .bool: return "boolean"
        case .int: return "integer"
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
        case .double(let d): return String(d)
        case .string(let s): return s
        case .array, .object: return JSONWriter.string(self)
        }
    }
}

/// YAML 1.1 implicit scalar resolution, matching PyYAML's resolver table.
enum ScalarResolver {
    static func resolvePlain(_ text: String) -> Value {
        guard let first = text.utf8.first else { return .null }
        switch first {
        case UInt8(ascii: "~"), UInt8(ascii: "n"), UInt8(ascii: "N"):
            if text == "~" || text == "null" || text == "Null" || text == "NULL" { return .null }
        default: break
        }
        if let b = bool(text) { return .bool(b) }
        if (first >= 0x30 && first <= 0x39) || first == UInt8(ascii: "-") || first == UInt8(ascii: "+")
            || first == UInt8(ascii: ".")
        {
            if let i = int(text) { return .int(i) }
            if let d = double(text) { return .double(d) }
        }
        return .string(text)
    }

    static func bool(_ text: String) -> Bool? {
        switch text {
        case "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON": return true
        case "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF": return false
        default: return nil
        }
    }

    static func int(_ raw: String) -> Int? {
        var text = Substring(raw)
        var negative = false
        if let f = text.first, f == "-" || f == "+" {
            negative = f == "-"
            text = text.dropFirst()
        }
        guard !text.isEmpty else { return nil }
        let digits = text.filter { $0 != "_" }
        var magnitude: Int?
        if text.hasPrefix("0b") {
            magnitude = Int(digits.dropFirst(2), radix: 2)
        } else if text.hasPrefix("0x") {
            magnitude = Int(digits.dropFirst(2), radix: 16)
        } else if text.hasPrefix("0"), text.count > 1 {
            magnitude = Int(digits.dropFirst(1), radix: 8)
        } else if text.contains(":") {
            guard let firstChar = text.first, firstChar != "0" else { return nil }
            var total = 0
            for part in digits.split(separator: ":", omittingEmptySubsequences: false) {
                guard let v = Int(part), !part.isEmpty else { return nil }
                total = total * 60 + v
            }
            magnitude = total
        } else {
            guard text.first != "_" else { return nil }
            magnitude = Int(digits, radix: 10)
        }
        guard let m = magnitude else { return nil }
        return negative ? -m : m
    }

    static func double(_ raw: String) -> Double? {
        switch raw {
        case ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF": return .infinity
        case "-.inf", "-.Inf", "-.INF": return -.infinity
        case ".nan", ".NaN", ".NAN": return .nan
        default: break
        }
        // PyYAML: [-+]?([0-9][0-9_]*)?\.[0-9_]*([eE][-+][0-9]+)? — a dot is required.
        var text = Substring(raw)
        if let f = text.first, f == "-" || f == "+" { text = text.dropFirst() }
        guard let dot = text.firstIndex(of: ".") else { return nil }
        let intPart = text[..<dot]
        guard intPart.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == "_") }),
            intPart.first != "_"
        else { return nil }
        var rest = text[text.index(after: dot)...]
        var fraction = rest
        if let e = rest.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            fraction = rest[..<e]
            let exp = rest[rest.index(after: e)...]
            guard let sign = exp.first, sign == "-" || sign == "+", exp.count > 1,
                exp.dropFirst().allSatisfy({ $0.isASCII && $0.isNumber })
            else { return nil }
            rest = exp
        }
        guard fraction.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == "_") }) else { return nil }
        if intPart.isEmpty && fraction.isEmpty { return nil }
        return Double(raw.filter { $0 != "_" })
    }
}

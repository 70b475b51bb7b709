/// A parsed YAML or JSON node that remembers where it came from.
///
/// Every validator works on this tree so that each diagnostic points at the
/// offending node's own mark, never at a re-search of the text.
public struct Node: Sendable {
    /// How a scalar was written; quoted scalars are always strings.
    public enum ScalarStyle: Sendable { case plain, singleQuoted, doubleQuoted, literal, folded }

    /// One key/value entry of a mapping, in document order.
    public struct Pair: Sendable {
        public var key: Node
        public var value: Node
        public init(key: Node, value: Node) {
            self.key = key
            self.value = value
        }
    }

    /// The shape of the node.
    public enum Kind: Sendable {
        case scalar(String, ScalarStyle)
        case mapping([Pair])
        case sequence([Node])
    }

    /// The node's content.
    public var kind: Kind
    // The mark and the tag, packed into the 7 bytes after `kind` (17 bytes), so that a node
    // is 24 bytes (48 with a `Mark` and an optional tag `String`; a mapping entry 48, not
    // 96). Bits 0–4 the tag code, 5–29 the line, 30–55 the column: 33 million lines and 67
    // million columns, against files of at most 16 MiB; a larger number is clamped.
    private var packedLow: UInt8
    private var packedMid: UInt16
    private var packedHigh: UInt32

    private static let lineBits: UInt64 = 25
    private static let columnBits: UInt64 = 26

    private var packed: UInt64 {
        get { UInt64(packedLow) | UInt64(packedMid) << 8 | UInt64(packedHigh) << 24 }
        set {
            packedLow = UInt8(truncatingIfNeeded: newValue)
            packedMid = UInt16(truncatingIfNeeded: newValue >> 8)
            packedHigh = UInt32(truncatingIfNeeded: newValue >> 24)
        }
    }

    private static func pack(_ mark: Mark, _ tag: NodeTag) -> UInt64 {
        let line = UInt64(min(max(mark.line, 0), (1 << Int(lineBits)) - 1))
        let column = UInt64(min(max(mark.column, 0), (1 << Int(columnBits)) - 1))
        return UInt64(tag.rawValue) | line << 5 | column << (5 + lineBits)
    }

    /// Where the node starts.
    public var mark: Mark {
        get {
            let bits = packed
            return Mark(
                line: Int((bits >> 5) & ((1 << Node.lineBits) - 1)),
                column: Int(bits >> (5 + Node.lineBits)))
        }
        set { packed = Node.pack(newValue, tagCode) }
    }

    /// The explicit tag in five bits (see `NodeTag`).
    var tagCode: NodeTag {
        get { NodeTag(rawValue: UInt8(packedLow & 0x1F)) ?? .unknown }
        set { packedLow = packedLow & ~0x1F | newValue.rawValue }
    }

    /// An explicit tag (`!!str`, `!vault`), if one was written, as libyaml spells it
    /// (`tag:yaml.org,2002:str`). A tag overlay does not know was refused when the file was
    /// read and reads as `NodeTag.unknownText`.
    public var tag: String? {
        get { tagCode.text }
        set { tagCode = NodeTag(newValue) }
    }

    /// True when the node carries an explicit tag.
    public var isTagged: Bool { tagCode != .none }

    /// Creates a node.
    public init(_ kind: Kind, mark: Mark, tag: String? = nil) {
        self.init(kind, mark: mark, tagCode: NodeTag(tag))
    }

    init(_ kind: Kind, mark: Mark, tagCode: NodeTag) {
        self.kind = kind
        let bits = Node.pack(mark, tagCode)
        packedLow = UInt8(truncatingIfNeeded: bits)
        packedMid = UInt16(truncatingIfNeeded: bits >> 8)
        packedHigh = UInt32(truncatingIfNeeded: bits >> 24)
    }

    /// A plain scalar node, for tests and synthesized values.
    public static func scalar(_ text: String, at mark: Mark = .start) -> Node {
        Node(.scalar(text, .plain), mark: mark)
    }
}

extension Node {
    /// The entries when this is a mapping, else nil.
    public var pairs: [Pair]? {
        if case .mapping(let pairs) = kind { return pairs }
        return nil
    }

    /// The items when this is a sequence, else nil.
    public var items: [Node]? {
        if case .sequence(let items) = kind { return items }
        return nil
    }

    /// The raw text when this is a scalar, else nil.
    public var scalarText: String? {
        if case .scalar(let text, _) = kind { return text }
        return nil
    }

    /// The value under `key` when this is a mapping whose key is a scalar.
    public subscript(key: String) -> Node? {
        guard let pairs else { return nil }
        for pair in pairs where pair.key.scalarText == key { return pair.value }
        return nil
    }

    /// The key node for `key`, to point diagnostics at the key itself.
    public func keyNode(_ key: String) -> Node? {
        pairs?.first(where: { $0.key.scalarText == key })?.key
    }

    /// The resolved value (YAML 1.1 core types, as PyYAML and Ansible read them).
    public var value: Value { Value(self) }

    /// The string value of a scalar that resolves to a string, else nil.
    public var string: String? {
        // A collection is never a string: no need to resolve the whole subtree to see that.
        guard case .scalar = kind, case .string(let s) = value else { return nil }
        return s
    }

    /// True when the node is a null scalar (`~`, `null`, empty).
    public var isNull: Bool {
        guard case .scalar = kind, case .null = value else { return false }
        return true
    }

    /// A short name of the node's type for messages ("mapping", "string", …).
    public var typeName: String {
        switch kind {
        case .scalar: return value.typeName
        // A collection's type does not depend on its contents (a `!!set` mapping reads as a list).
        case .sequence: return Value.array([]).typeName
        case .mapping: return tagCode == .set ? Value.array([]).typeName : Value.object([]).typeName
        }
    }
}

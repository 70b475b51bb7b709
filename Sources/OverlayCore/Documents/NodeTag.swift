/// A node's explicit tag in five bits beside its mark, so that a `Node` is 24 bytes instead of 48.
///
/// A tree holds millions of nodes and almost none is tagged, yet an optional `String`
/// field costs every node 16 bytes and a reference count on every copy. The tags PyYAML and
/// Ansible can construct are few and known; every other tag is refused while the file is
/// composed (`ConstructorCheck`, rule `yaml.tag`, with the tag's own text in the message),
/// after which only "some tag overlay does not know" matters: such a node reads as a
/// string, like any unknown tag. So the text of an unknown tag is not kept.
enum NodeTag: UInt8, Sendable {
    case none = 0
    case str, int, float, bool, null, seq, map, set, omap, pairs, binary, timestamp, merge, value
    case pythonUnicode, pythonDict
    case nonSpecific, unsafe, vault, vaultEncrypted
    /// A tag none of the above: refused when composed.
    case unknown

    /// What `Node.tag` reads for an unknown tag: no tag overlay compares against starts so.
    static let unknownText = "!<unknown tag>"

    /// The code of a tag's text (nil for no tag).
    init(_ text: String?) {
        guard let text else {
            self = .none
            return
        }
        if text.hasPrefix(ValueResolution.yaml) {
            switch text.dropFirst(ValueResolution.yaml.count) {
            case "str": self = .str
            case "int": self = .int
            case "float": self = .float
            case "bool": self = .bool
            case "null": self = .null
            case "seq": self = .seq
            case "map": self = .map
            case "set": self = .set
            case "omap": self = .omap
            case "pairs": self = .pairs
            case "binary": self = .binary
            case "timestamp": self = .timestamp
            case "merge": self = .merge
            case "value": self = .value
            case "python/unicode": self = .pythonUnicode
            case "python/dict": self = .pythonDict
            default: self = .unknown
            }
            return
        }
        switch text {
        case "!": self = .nonSpecific
        case ValueResolution.unsafeTag: self = .unsafe
        case "!vault": self = .vault
        case "!vault-encrypted": self = .vaultEncrypted
        default: self = .unknown
        }
    }

    /// The tag's text as libyaml reports it (nil for no tag).
    var text: String? {
        let yaml = ValueResolution.yaml
        switch self {
        case .none: return nil
        case .str: return yaml + "str"
        case .int: return yaml + "int"
        case .float: return yaml + "float"
        case .bool: return yaml + "bool"
        case .null: return yaml + "null"
        case .seq: return yaml + "seq"
        case .map: return yaml + "map"
        case .set: return yaml + "set"
        case .omap: return yaml + "omap"
        case .pairs: return yaml + "pairs"
        case .binary: return yaml + "binary"
        case .timestamp: return yaml + "timestamp"
        case .merge: return yaml + "merge"
        case .value: return yaml + "value"
        case .pythonUnicode: return yaml + "python/unicode"
        case .pythonDict: return yaml + "python/dict"
        case .nonSpecific: return "!"
        case .unsafe: return ValueResolution.unsafeTag
        case .vault: return "!vault"
        case .vaultEncrypted: return "!vault-encrypted"
        case .unknown: return NodeTag.unknownText
        }
    }
}

/// Turns nodes into values the way PyYAML's SafeConstructor and Ansible's own
/// constructor do: YAML 1.1 implicit types, the explicit `!!` tags, and Ansible's
/// `!vault` and `!unsafe`.
enum ValueResolution {
    static let yaml = "tag:yaml.org,2002:"
    static let unsafeTag = "!unsafe"
    static let vaultTags: Set<String> = ["!vault", "!vault-encrypted"]

    /// The value of `node`; `wrapUnsafe` writes strings under `!unsafe` as Ansible's
    /// `--list` does (`{"__ansible_unsafe": text}`).
    static func resolve(_ node: Node, unsafe: Bool = false, wrapUnsafe: Bool) -> Value {
        var saw = false
        return resolve(node, unsafe: unsafe, wrapUnsafe: wrapUnsafe, sawUnsafe: &saw)
    }

    /// `resolve`, also saying whether an `!unsafe` tag was met (so the listing value is
    /// computed only for the few definitions that need it, without a second walk).
    static func resolve(_ node: Node, unsafe: Bool = false, wrapUnsafe: Bool, sawUnsafe: inout Bool) -> Value {
        var unsafe = unsafe
        if node.tagCode == .unsafe {
            sawUnsafe = true
            unsafe = true
        }
        switch node.kind {
        case .scalar(let text, let style):
            return scalar(text, style: style, tag: node.isTagged ? node.tag : nil, unsafe: unsafe, wrapUnsafe: wrapUnsafe)
        case .sequence(let items):
            if node.tagCode == .omap || node.tagCode == .pairs {
                // A list of [key, value] pairs, as Ansible prints Python's list of tuples.
                return .array(
                    items.compactMap { item in
                        guard let pair = item.pairs?.first else { return nil }
                        return .array([
                            .string(pair.key.value.keyString),
                            resolve(pair.value, unsafe: unsafe, wrapUnsafe: wrapUnsafe, sawUnsafe: &sawUnsafe),
                        ])
                    })
            }
            var out: [Value] = []
            out.reserveCapacity(items.count)
            for item in items { out.append(resolve(item, unsafe: unsafe, wrapUnsafe: wrapUnsafe, sawUnsafe: &sawUnsafe)) }
            return .array(out)
        case .mapping(let pairs):
            if node.tagCode == .set {
                // Python's set, printed as a list (Python's order is a hash order; this is the document's).
                var keys: [Value] = []
                for pair in pairs { keys.append(resolve(pair.key, unsafe: unsafe, wrapUnsafe: wrapUnsafe, sawUnsafe: &sawUnsafe)) }
                return .array(keys)
            }
            var out: [(String, Value)] = []
            out.reserveCapacity(pairs.count)
            for pair in pairs {
                out.append(
                    (pair.key.value.keyString, resolve(pair.value, unsafe: unsafe, wrapUnsafe: wrapUnsafe, sawUnsafe: &sawUnsafe)))
            }
            return .object(out)
        }
    }

    /// One scalar; `unsafe` when it is under (or is) an `!unsafe` tag.
    static func scalar(_ text: String, style: Node.ScalarStyle, tag: String?, unsafe: Bool, wrapUnsafe: Bool) -> Value {
        let value: Value
        if let tag, tag != unsafeTag {
            if vaultTags.contains(tag) { return .object([("__ansible_vault", .string(text))]) }
            value = tagged(text, tag: tag)
        } else if style == .plain || tag == unsafeTag {
            // `!unsafe` re-resolves its scalar as if it were plain, whatever its quotes.
            value = ScalarResolver.resolvePlain(text)
        } else {
            value = .string(text)
        }
        if unsafe, wrapUnsafe, case .string = value { return .object([("__ansible_unsafe", value)]) }
        return value
    }

    /// A scalar with an explicit tag other than Ansible's (which `problem` reports when unreadable).
    private static func tagged(_ text: String, tag: String) -> Value {
        switch tag.hasPrefix(yaml) ? String(tag.dropFirst(yaml.count)) : tag {
        case "int", "!!int": return ScalarResolver.int(text) ?? .string(text)
        case "float", "!!float": return ScalarResolver.float(text).map(Value.double) ?? .string(text)
        case "bool", "!!bool": return ScalarResolver.explicitBool(text).map(Value.bool) ?? .string(text)
        case "null", "!!null": return .null
        case "timestamp":
            if case .value(let iso) = YAMLTimestamp.parse(text) { return .string(iso) }
            return .string(text)
        default: return .string(text)
        }
    }

    /// True when `node` or anything under it carries the `!unsafe` tag.
    static func containsUnsafe(_ node: Node) -> Bool {
        if node.tagCode == .unsafe { return true }
        switch node.kind {
        case .scalar: return false
        case .sequence(let items): return items.contains(where: containsUnsafe)
        case .mapping(let pairs): return pairs.contains { containsUnsafe($0.value) }
        }
    }
}

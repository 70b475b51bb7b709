/// Values PyYAML's constructors (and so Ansible) refuse to build, found while composing:
/// unknown tags, tags whose text does not fit (`!!int 1.5`), timestamps that are no real
/// date, plain `=` and `<<` outside a mapping key. Ansible fails the whole file on them.
enum ConstructorCheck {
    /// False for a plain scalar whose first byte rules out every problem (most of them):
    /// only `=`, `<<`, numbers and timestamps can fail untagged.
    static func mayFail(first: UInt8?) -> Bool {
        guard let first else { return false }
        return (first >= 0x30 && first <= 0x39) || first == UInt8(ascii: "=") || first == UInt8(ascii: "<")
            || first == UInt8(ascii: "-") || first == UInt8(ascii: "+")
    }

    /// The rule and message for a scalar PyYAML cannot construct, or nil.
    static func scalarProblem(_ text: String, style: Node.ScalarStyle, tag: String?, isKey: Bool) -> (rule: String, message: String)? {
        guard let tag else {
            guard style == .plain, let first = text.utf8.first else { return nil }
            return plainProblem(text, first: first, isKey: isKey)
        }
        let name = tag.hasPrefix(ValueResolution.yaml) ? "!!" + tag.dropFirst(ValueResolution.yaml.count) : tag
        func refuse(_ why: String) -> (String, String) {
            ("yaml.tag", "\(name) \(why); PyYAML and Ansible refuse the file — fix the value or remove the tag")
        }
        switch name {
        case "!", "!!str", "!!python/unicode", "!!null", ValueResolution.unsafeTag: return nil
        case _ where ValueResolution.vaultTags.contains(name):
            guard case .string = ScalarResolver.resolvePlain(text) else {
                return refuse("needs the vault's text (a string), not a \(ScalarResolver.resolvePlain(text).typeName)")
            }
            return nil
        // The value itself is never echoed: it may be a token someone tagged by mistake.
        case "!!int": return ScalarResolver.int(text) == nil ? refuse("cannot read this value as an integer") : nil
        case "!!float": return ScalarResolver.float(text) == nil ? refuse("cannot read this value as a number") : nil
        case "!!bool": return ScalarResolver.explicitBool(text) == nil ? refuse("accepts only yes/no, true/false, on/off") : nil
        case "!!timestamp":
            switch YAMLTimestamp.parse(text) {
            case .value: return nil
            case .invalid(let why): return refuse("'\(text)' is no real date and time (\(why))")
            case .notTimestamp: return refuse("needs a date (YYYY-MM-DD) or a date and time")
            }
        case "!!binary": return refuse("holds bytes, which Ansible cannot print as inventory data")
        case "!!seq", "!!map", "!!set", "!!omap", "!!pairs", "!!python/dict": return refuse("needs a collection, not a scalar")
        default: return refuse("is not a tag PyYAML or Ansible can read")
        }
    }

    private static func plainProblem(_ text: String, first: UInt8, isKey: Bool) -> (rule: String, message: String)? {
        switch first {
        case UInt8(ascii: "="):
            guard text == "=", !isKey else { return nil }
            return ("yaml.value", "a plain '=' is YAML 1.1's 'value' key, which PyYAML and Ansible cannot read; quote it: '='")
        case UInt8(ascii: "<"):
            guard text == "<<", !isKey else { return nil }
            return ("yaml.value", "a plain '<<' is YAML's merge key and may only be a mapping key; quote it if it is text: '<<'")
        case 0x30...0x39, UInt8(ascii: "-"), UInt8(ascii: "+"):
            // Only two rare forms can fail: more digits than Python reads, or 0b/0x with no digit.
            // Both are found from the length and the first bytes, without a scan.
            let utf8 = text.utf8
            let count = utf8.count
            let unsigned = first == UInt8(ascii: "-") || first == UInt8(ascii: "+") ? utf8.dropFirst() : utf8[...]
            let prefixed =
                unsigned.first == UInt8(ascii: "0")
                && (unsigned.dropFirst().first == UInt8(ascii: "b") || unsigned.dropFirst().first == UInt8(ascii: "x"))
            if count > 18 || prefixed, ScalarResolver.isInt(text), ScalarResolver.int(text) == nil {
                return (
                    "yaml.value",
                    "this integer cannot be read by PyYAML (no digits after 0b/0x, or more than \(LargeInteger.maxDecimalDigits) digits); quote it if it is text"
                )
            }
            let dashAt4 = count >= 8 && utf8.dropFirst(4).first == UInt8(ascii: "-")
            guard dashAt4, case .invalid(let why) = YAMLTimestamp.parse(text) else { return nil }
            return (
                "yaml.value",
                "'\(text)' is written as a YAML timestamp but is no real date and time (\(why)); PyYAML and Ansible refuse the file — fix it or quote it"
            )
        default:
            return nil
        }
    }

    /// The rule and message for a collection tag PyYAML cannot construct, or nil.
    static func collectionProblem(tag: String?, isMapping: Bool) -> (rule: String, message: String)? {
        guard let tag, tag != ValueResolution.unsafeTag else { return nil }
        let name = tag.hasPrefix(ValueResolution.yaml) ? "!!" + tag.dropFirst(ValueResolution.yaml.count) : tag
        let allowed = isMapping ? ["!!map", "!!python/dict", "!!set", "!"] : ["!!seq", "!!omap", "!!pairs", "!"]
        if allowed.contains(name) { return nil }
        let what = isMapping ? "a mapping" : "a list"
        let why =
            ValueResolution.vaultTags.contains(name)
            ? "needs the vault's text (a string), not \(what)" : "cannot be \(what) for PyYAML and Ansible"
        return ("yaml.tag", "\(name) \(why); Ansible refuses the file — fix the value or remove the tag")
    }

    /// The problem with an `!!omap`/`!!pairs` item, which must be a mapping of one key.
    static func pairItemProblem(_ item: Node) -> (rule: String, message: String)? {
        guard item.pairs?.count != 1 else { return nil }
        return ("yaml.tag", "each item of an !!omap or !!pairs list must be a mapping of exactly one key; Ansible refuses the file")
    }
}

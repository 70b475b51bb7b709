import Foundation

/// Recognises literal secrets: values under secret-named keys, and token-shaped strings.
public enum SecretShape {
    /// Keys whose value is a credential when written literally.
    public static func isSecretKey(_ key: String) -> Bool {
        let k = key.lowercased()
        if ["key_env", "key_cmd", "token_env", "password_env", "secret_env"].contains(k) { return false }
        return k == "api_key" || k == "apikey" || k == "token" || k == "secret" || k == "password" || k == "sudo_password"
            || k.hasSuffix("_api_key") || k.hasSuffix("_token") || k.hasSuffix("_secret") || k.hasSuffix("_password")
            || k == "access_key" || k == "private_key"
    }

    /// False when `key` cannot be a secret key (`isSecretKey`), decided on its last byte:
    /// every secret key ends in `key`, `token`, `secret` or `password`, in any case. A key
    /// with non-ASCII bytes is left to `isSecretKey` (lower-casing may fold it to ASCII).
    @inline(__always) public static func mayBeSecretKey(_ key: String) -> Bool {
        guard let last = key.utf8.last else { return false }
        if last >= 0x80 { return true }
        let lower = last | 0x20
        return lower == UInt8(ascii: "y") || lower == UInt8(ascii: "n") || lower == UInt8(ascii: "t") || lower == UInt8(ascii: "d")
    }

    /// The key text a mapping key is tested as a secret key with: its resolved key string
    /// (`keyString`), taken without resolving for an untagged scalar, whose text it is
    /// whenever it could be a secret key (a name ending in `key`, `token`, `secret` or
    /// `password` resolves to no boolean, number, null or date).
    static func secretTestKey(_ key: Node) -> String {
        if !key.isTagged, case .scalar(let text, let style) = key.kind {
            if style != .plain || mayBeSecretKey(text) && isSecretKey(text) { return text }
            // Plain and not a secret key either way: any stand-in that is no secret key will do,
            // unless resolving could turn it into one (it cannot: see above).
            return ""
        }
        return key.value.keyString
    }

    /// A description of the secret when `node` under `key` is a literal credential.
    public static func literalSecret(key: String, node: Node) -> String? {
        guard isSecretKey(key), case .string(let s) = node.value else { return nil }
        if isReference(s) || s.isEmpty { return nil }
        return key.lowercased().contains("password") ? "password" : "credential (\(key))"
    }

    /// True for `${VAR}`, `${secret:NAME}` and similar references the harness resolves.
    public static func isReference(_ s: String) -> Bool {
        let t = s.trimmingCharacters(in: .whitespaces)
        return (t.hasPrefix("${") && t.hasSuffix("}")) || (t.hasPrefix("{{") && t.hasSuffix("}}"))
    }

    /// The longest string still checked: no key is this long, and a huge run (a base64
    /// image, a minified blob) must not cost time proportional to its size.
    public static let maximumLength = 512

    /// Well-known key prefixes (`sk-…`, `ghp_…`) and long random-looking tokens.
    public static func tokenLike(_ node: Node) -> String? {
        // An untagged scalar that resolves to a string resolves to its own text: when that
        // text cannot be a token, nothing needs resolving.
        if !node.isTagged, case .scalar(let text, _) = node.kind, !mayBeToken(text) { return nil }
        guard case .string(let s) = node.value else { return nil }
        return tokenLike(s)
    }

    /// False when `s` can be neither a prefixed key nor a generic token: shorter than 20
    /// bytes, or shorter than a generic token and not starting like any vendor prefix.
    @inline(__always) static func mayBeToken(_ s: String) -> Bool {
        let count = s.utf8.count
        guard count >= 20, count <= maximumLength else { return false }
        if count >= 32 { return true }
        guard let first = s.utf8.first else { return false }
        return prefixFirstBytes.contains(first)
    }

    /// The first bytes of `AKIA` and of every `keyPrefixes` entry.
    static let prefixFirstBytes: Set<UInt8> = Set(keyPrefixes.compactMap(\.utf8.first) + [UInt8(ascii: "A")])

    /// `keyPrefixes` by first byte, in list order, as bytes.
    static let prefixesByFirstByte: [UInt8: [(text: String, bytes: [UInt8])]] = Dictionary(
        grouping: keyPrefixes.map { ($0, Array($0.utf8)) }, by: { $0.1[0] }
    ).mapValues { $0.map { (text: $0.0, bytes: $0.1) } }

    /// The kind of token `s` looks like (a known key prefix, or a generic token), or nil.
    public static func tokenLike(_ s: String) -> String? {
        prefixedKey(s) ?? genericToken(s)
    }

    /// Prefixes vendors put on their keys; what follows must be 20+ letters and digits.
    static let keyPrefixes = [
        "sk-", "sk_live_", "sk_test_", "rk_live_", "ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_", "glpat-",
        "xoxa-", "xoxb-", "xoxe-", "xoxp-", "xoxr-", "xoxs-", "hf_",
    ]

    /// A key with a vendor prefix (`sk-…`, `sk-or-…`, `ghp_…`, `hf_…`, `AKIA…`), or nil.
    /// Whatever the text around it, such a string is a credential.
    public static func prefixedKey(_ s: String) -> String? {
        let utf8 = s.utf8
        guard utf8.count <= maximumLength, let first = utf8.first else { return nil }
        // Byte prefixes stand for `hasPrefix` here: a hit needs ASCII right after the prefix,
        // where no combining character can change what the prefix's characters are.
        // AWS access key ids: AKIA and 16 upper-case letters or digits, nothing more.
        if first == UInt8(ascii: "A") {
            if utf8.count == 20 && utf8.starts(with: "AKIA".utf8)
                && utf8.dropFirst(4).allSatisfy({ ($0 >= 48 && $0 <= 57) || ($0 >= 65 && $0 <= 90) })
            {
                return "AWS access key ('AKIA…')"
            }
            return nil
        }
        for (p, bytes) in prefixesByFirstByte[first] ?? [] where utf8.starts(with: bytes) {
            let rest = utf8.dropFirst(bytes.count)
            if rest.count >= 20, rest.allSatisfy({ isAlphanumeric($0) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") }),
                rest.contains(where: { $0 >= 48 && $0 <= 57 })
            {
                return "API key ('\(p)…')"
            }
        }
        return nil
    }

    /// 32 to 512 characters of mixed letters and digits that are neither hex (a commit, a
    /// checksum), a UUID, nor hyphen-separated words (a model name): a generic token.
    /// Only a hint: the text scan reports one only as the value of a key-like assignment.
    public static func genericToken(_ s: String) -> String? {
        // Decided on the string's own bytes before any copy: most strings fail here.
        let utf8 = s.utf8
        guard utf8.count >= 32, utf8.count <= maximumLength, utf8.allSatisfy(isTokenCharacter) else { return nil }
        let bytes = Array(utf8)
        let digits = bytes.count(where: { $0 >= 48 && $0 <= 57 })
        let upper = bytes.count(where: { $0 >= 65 && $0 <= 90 })
        let letters = upper + bytes.count(where: { $0 >= 97 && $0 <= 122 })
        // Paths are not tokens.
        if bytes.count(where: { $0 == UInt8(ascii: "/") }) > 1 { return nil }
        guard digits >= 4, letters >= 4, upper > 0 || digits >= 8 else { return nil }
        if isHex(bytes) || isUUID(bytes) || isHyphenatedWords(bytes) { return nil }
        return "token (\(bytes.count) characters)"
    }

    /// Hex digits only: a git commit, a sha256 checksum, a digest.
    static func isHex(_ bytes: [UInt8]) -> Bool {
        bytes.allSatisfy(isHexDigit)
    }

    /// `8-4-4-4-12` hex digits, either case.
    static func isUUID(_ bytes: [UInt8]) -> Bool {
        let groups = bytes.split(separator: UInt8(ascii: "-"), omittingEmptySubsequences: false)
        return groups.map(\.count) == [8, 4, 4, 4, 12] && groups.allSatisfy { $0.allSatisfy(isHexDigit) }
    }

    /// Words joined by `-` (and `_` inside them): `hermes-4-14b-q4_k_m-2024-11-05-instruct-v2`.
    /// A word is all digits, letters in one case (or capitalised), or at most 4 characters;
    /// a random token's pieces are longer mixes.
    static func isHyphenatedWords(_ bytes: [UInt8]) -> Bool {
        guard bytes.contains(UInt8(ascii: "-")) else { return false }
        let words = bytes.split { $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") }
        return words.allSatisfy { word in
            if word.count <= 4 || word.allSatisfy({ $0 >= 48 && $0 <= 57 }) { return true }
            let tail = word.dropFirst()
            let isLetter = { (b: UInt8) in (b >= 65 && b <= 90) || (b >= 97 && b <= 122) }
            guard word.allSatisfy(isLetter) else { return false }
            return tail.allSatisfy { $0 >= 97 } || word.allSatisfy { $0 <= 90 }
        }
    }

    /// Letters, digits and `-_+/=`.
    @inline(__always) static func isTokenCharacter(_ b: UInt8) -> Bool {
        isAlphanumeric(b) || b == UInt8(ascii: "-") || b == UInt8(ascii: "_") || b == UInt8(ascii: "+") || b == UInt8(ascii: "/")
            || b == UInt8(ascii: "=")
    }

    @inline(__always) static func isAlphanumeric(_ b: UInt8) -> Bool {
        (b >= 48 && b <= 57) || (b >= 65 && b <= 90) || (b >= 97 && b <= 122)
    }

    @inline(__always) static func isHexDigit(_ b: UInt8) -> Bool {
        (b >= 48 && b <= 57) || (b >= 65 && b <= 70) || (b >= 97 && b <= 102)
    }
}

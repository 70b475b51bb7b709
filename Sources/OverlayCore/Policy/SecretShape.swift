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
        guard case .string(let s) = node.value else { return nil }
        return tokenLike(s)
    }

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
        guard s.utf8.count <= maximumLength else { return nil }
        // AWS access key ids: AKIA and 16 upper-case letters or digits, nothing more.
        if s.hasPrefix("AKIA") && s.utf8.count == 20
            && s.utf8.dropFirst(4).allSatisfy({ ($0 >= 48 && $0 <= 57) || ($0 >= 65 && $0 <= 90) })
        {
            return "AWS access key ('AKIA…')"
        }
        for p in keyPrefixes where s.hasPrefix(p) {
            let rest = s.utf8.dropFirst(p.utf8.count)
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
        let bytes = Array(s.utf8)
        guard bytes.count >= 32, bytes.count <= maximumLength,
            bytes.allSatisfy({ isAlphanumeric($0) || "-_+/=".utf8.contains($0) })
        else { return nil }
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

    @inline(__always) static func isAlphanumeric(_ b: UInt8) -> Bool {
        (b >= 48 && b <= 57) || (b >= 65 && b <= 90) || (b >= 97 && b <= 122)
    }

    @inline(__always) static func isHexDigit(_ b: UInt8) -> Bool {
        (b >= 48 && b <= 57) || (b >= 65 && b <= 70) || (b >= 97 && b <= 102)
    }
}

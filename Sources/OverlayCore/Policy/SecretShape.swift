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

    /// Well-known key prefixes (`sk-…`, `ghp_…`) and long random-looking tokens.
    public static func tokenLike(_ node: Node) -> String? {
        guard case .string(let s) = node.value else { return nil }
        return tokenLike(s)
    }

    /// The kind of token `s` looks like, or nil.
    public static func tokenLike(_ s: String) -> String? {
        let prefixes = ["sk-", "sk_live_", "ghp_", "gho_", "github_pat_", "glpat-", "xoxb-", "xoxp-", "hf_", "AKIA"]
        for p in prefixes where s.hasPrefix(p) {
            let rest = s.dropFirst(p.count)
            if rest.count >= 20, rest.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }),
                rest.contains(where: \.isNumber)
            {
                return "API key ('\(p)…')"
            }
        }
        guard s.count >= 32,
            s.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == "+" || $0 == "/" || $0 == "=") })
        else { return nil }
        let digits = s.filter(\.isNumber).count
        let letters = s.filter(\.isLetter).count
        let upper = s.filter(\.isUppercase).count
        // Paths and words are not tokens; hex digests alone are ambiguous but count.
        if s.contains("/") && s.filter({ $0 == "/" }).count > 1 { return nil }
        guard digits >= 4, letters >= 4, upper > 0 || digits >= 8 else { return nil }
        return "token (\(s.count) characters)"
    }
}

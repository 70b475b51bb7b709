import Foundation

/// Where a mirror fetches from: a local path, a `file://` URL, or any URL the system's
/// libgit2 speaks (`https://`, `ssh://`, scp-like `user@host:path`).
public struct GitRemote: Sendable, Equatable, CustomStringConvertible {
    /// What libgit2 is given: a URL as written, or a local path made absolute.
    public let url: String

    /// A remote from what a user typed; a relative local path is taken from `directory`.
    public init(_ location: String, relativeTo directory: String = FileManager.default.currentDirectoryPath) {
        let trimmed = location.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.contains("://") || Self.isScpLike(trimmed) || trimmed.hasPrefix("/") {
            url = trimmed
        } else {
            url = (directory as NSString).appendingPathComponent(trimmed)
        }
    }

    /// The URL as it may be shown: a password (or an https token in the user part) is hidden.
    public var description: String { Self.redacted(url) }

    /// `text` (a libgit2 message) with the URL's credentials hidden, should it quote them.
    func scrubbed(_ text: String) -> String {
        var out = text.replacingOccurrences(of: url, with: description)
        if let parts = URLComponents(string: url) {
            let queryValues = (parts.queryItems ?? []).compactMap(\.value)
            for secret in [parts.password, url.hasPrefix("http") ? parts.user : nil].compactMap({ $0 }) + queryValues
            where secret.count >= 4 {
                out = out.replacingOccurrences(of: secret, with: "***")
            }
        }
        return out
    }

    /// The SSH host and port when the remote is reached over SSH (for known_hosts look-ups).
    var sshEndpoint: (host: String, port: Int)? {
        if url.hasPrefix("ssh://") || url.hasPrefix("ssh+git://") || url.hasPrefix("git+ssh://"),
            let parts = URLComponents(string: url), let host = parts.host
        {
            return (host, parts.port ?? 22)
        }
        guard Self.isScpLike(url), let colon = url.firstIndex(of: ":") else { return nil }
        let authority = url[..<colon]
        let host = authority.split(separator: "@").last.map(String.init) ?? String(authority)
        return (host, 22)
    }

    /// The folder of a local remote (a path or a `file://` URL), nil for network remotes.
    var localPath: String? {
        if url.hasPrefix("/") { return url }
        if url.hasPrefix("file://") { return URL(string: url)?.path ?? String(url.dropFirst("file://".count)) }
        return nil
    }

    /// `[user@]host:path` with no slash before the colon, as git reads it.
    static func isScpLike(_ s: String) -> Bool {
        guard let colon = s.firstIndex(of: ":"), colon != s.startIndex else { return false }
        return !s[..<colon].contains("/")
    }

    /// `url` as it may be shown: credentials in the user part and the values of a query string
    /// (`?private_token=…`) hidden.
    static func redacted(_ url: String) -> String {
        guard let question = url.firstIndex(of: "?") else { return redactedAuthority(url) }
        let query = url[url.index(after: question)...].split(separator: "&", omittingEmptySubsequences: false).map { pair in
            pair.split(separator: "=", maxSplits: 1).count == 2 ? pair.prefix { $0 != "=" } + "=***" : "***"
        }
        return redactedAuthority(String(url[..<question])) + "?" + query.joined(separator: "&")
    }

    private static func redactedAuthority(_ url: String) -> String {
        guard let scheme = url.range(of: "://") else { return url }
        let rest = url[scheme.upperBound...]
        let authorityEnd = rest.firstIndex(of: "/") ?? rest.endIndex
        guard let at = rest[..<authorityEnd].lastIndex(of: "@") else { return url }
        let user = rest[..<at]
        let shown: String
        if let colon = user.firstIndex(of: ":") {
            shown = user[..<colon] + ":***"
        } else if url.hasPrefix("http") {
            shown = "***"  // https://TOKEN@host: the user part is the secret
        } else {
            shown = String(user)
        }
        return url[..<scheme.upperBound] + shown + rest[at...]
    }
}

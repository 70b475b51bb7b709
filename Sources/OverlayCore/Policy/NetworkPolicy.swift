/// Which `base_url` hosts count as local: loopback and private ranges.
public enum NetworkPolicy {
    /// The host part of a URL (`http://10.0.0.5:8080/v1` → `10.0.0.5`), nil when the
    /// URL's host is an unresolved `${VAR}` reference or missing.
    public static func host(ofURL url: String) -> String? {
        guard let schemeEnd = url.range(of: "://") else { return nil }
        var rest = url[schemeEnd.upperBound...]
        if let slash = rest.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) { rest = rest[..<slash] }
        if let at = rest.lastIndex(of: "@") { rest = rest[rest.index(after: at)...] }
        var host: Substring
        if rest.hasPrefix("[") {
            guard let close = rest.firstIndex(of: "]") else { return nil }
            host = rest[rest.index(after: rest.startIndex)..<close]
        } else {
            host = rest.split(separator: ":", maxSplits: 1).first ?? ""
        }
        if host.isEmpty || host.contains("$") || host.contains("{") { return nil }
        return String(host).lowercased()
    }

    /// True for loopback (127/8, ::1, localhost) and private (RFC 1918, RFC 4193) hosts.
    public static func isLocal(_ host: String) -> Bool {
        if host == "localhost" || host.hasSuffix(".localhost") || host == "::1" { return true }
        let octets = host.split(separator: ".", omittingEmptySubsequences: false).compactMap { UInt8($0) }
        if octets.count == 4 && host.split(separator: ".").count == 4 {
            switch (octets[0], octets[1]) {
            case (127, _), (10, _), (192, 168): return true
            case (172, let b) where (16...31).contains(b): return true
            default: return false
            }
        }
        if host.contains(":") {
            // fc00::/7 (unique local), written fcxx: or fdxx:.
            let first = host.split(separator: ":").first.map(String.init) ?? ""
            if first.count == 4, let v = UInt16(first, radix: 16), v & 0xFE00 == 0xFC00 { return true }
        }
        return false
    }
}

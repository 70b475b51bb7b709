/// Where the receiver listens, parsed from `--listen HOST:PORT`.
///
/// IPv6 hosts are written in brackets (`[::1]:9000`), as in URLs. Port 0 asks the
/// system for a free port (tests use it); the bound port is then logged.
public struct ListenAddress: Sendable, Equatable, CustomStringConvertible {
    /// The host name or address literal, without brackets.
    public let host: String
    /// The TCP port, 0–65535.
    public let port: Int

    /// Parses `HOST:PORT`, throwing a message that says what is wrong with it.
    public init(parsing text: String) throws(ServeError) {
        let fail = { (reason: String) in ServeError.badListenAddress(text, reason: reason) }
        let host: Substring
        let portText: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { throw fail("the IPv6 host has no closing ']'") }
            host = text[text.index(after: text.startIndex)..<close]
            let rest = text[text.index(after: close)...]
            guard rest.hasPrefix(":") else { throw fail("no ':PORT' after the bracketed host") }
            portText = rest.dropFirst()
            guard !host.isEmpty, host.allSatisfy({ $0.isHexDigit || $0 == ":" || $0 == "." }) else {
                throw fail("'\(host)' is not an IPv6 address")
            }
        } else {
            guard let colon = text.lastIndex(of: ":") else { throw fail("no ':PORT'") }
            host = text[..<colon]
            portText = text[text.index(after: colon)...]
            guard !host.isEmpty else { throw fail("the host is missing (use 0.0.0.0 for every interface)") }
            guard !host.contains(":") else { throw fail("an IPv6 host must be written in brackets") }
            guard host.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "." || $0 == "-") }) else {
                throw fail("'\(host)' is not a host name or IPv4 address")
            }
        }
        guard !portText.isEmpty, portText.allSatisfy({ $0.isASCII && $0.isNumber }), portText.count <= 5,
            let port = Int(portText), port <= 65535
        else { throw fail("'\(portText)' is not a port number (0–65535)") }
        self.host = String(host)
        self.port = port
    }

    /// The same host with another port (the one the system chose for port 0).
    func with(port: Int) -> ListenAddress { ListenAddress(host: host, port: port) }

    private init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// `HOST:PORT` as given, with brackets around an IPv6 host.
    public var description: String {
        host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }
}

/// Why `overlay serve` cannot start; each message names the input and what to change.
public enum ServeError: Error, Sendable, Equatable, CustomStringConvertible {
    /// `--listen` is not `HOST:PORT`.
    case badListenAddress(String, reason: String)
    /// The secret file cannot be read.
    case secretFileUnreadable(path: String, reason: String)
    /// The secret file holds no secret (only blank lines).
    case secretFileEmpty(path: String)
    /// `--ref` is not a branch or ref name git would accept.
    case badRef(String, reason: String)
    /// The state folder cannot be created or written.
    case stateDirectoryUnusable(path: String, reason: String)
    /// A limit or timeout is out of range.
    case badLimit(name: String, reason: String)
    /// The listening socket could not be opened.
    case bindFailed(address: String, reason: String)

    public var description: String {
        switch self {
        case .badListenAddress(let text, let reason):
            return "--listen '\(text)': \(reason); expected HOST:PORT, e.g. 127.0.0.1:9000, 0.0.0.0:9000 or [::1]:9000"
        case .secretFileUnreadable(let path, let reason):
            return "secret file \(path) cannot be read (\(reason)); create it with one secret a line, mode 0600"
        case .secretFileEmpty(let path):
            return "secret file \(path) holds no secret; put the webhook secret on a line of its own (two lines while rotating)"
        case .badRef(let ref, let reason):
            return "--ref '\(ref)': \(reason); give a branch name such as main or a full ref such as refs/heads/main"
        case .stateDirectoryUnusable(let path, let reason):
            return "state folder \(path) cannot be used (\(reason)); point the state dir at a writable folder"
        case .badLimit(let name, let reason):
            return "\(name): \(reason)"
        case .bindFailed(let address, let reason):
            return "cannot listen on \(address): \(reason)" + Self.bindHint(reason)
        }
    }

    /// What to do about a bind failure, told from the system's words.
    private static func bindHint(_ reason: String) -> String {
        if reason.contains("Address already in use") { return "; another process listens there (see ss -ltnp)" }
        if reason.contains("UnknownHost") { return "; the host name does not resolve" }
        if reason.contains("Permission denied") { return "; a port below 1024 needs CAP_NET_BIND_SERVICE" }
        if reason.contains("Cannot assign requested address") { return "; that address is not one of this machine's" }
        return ""
    }
}

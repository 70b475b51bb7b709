import Foundation

/// Everything `overlay serve` needs besides the action: where to listen, the secrets,
/// which ref to follow, where to remember deliveries, and the limits that keep a
/// hostile client from holding memory or connections.
///
/// The initializer checks every input and throws a ``ServeError`` that names it, so the
/// CLI only passes its flags through.
public struct ServeConfiguration: Sendable {
    /// The address to listen on.
    public let listen: ListenAddress
    /// The file of secrets, one a line.
    public let secretFile: String
    /// The full ref that triggers a run (`refs/heads/main` for `--ref main`).
    public let ref: String
    /// The folder where delivery ids are persisted (created if missing, mode 0700).
    public let stateDirectory: String
    /// The largest request body accepted, in bytes; a larger one gets 413.
    public let bodyLimit: Int
    /// How long a client may take to send a request's headers (also the keep-alive idle time).
    public let headerTimeout: Duration
    /// How long a client may take to send a request's body once its headers are in.
    public let bodyTimeout: Duration
    /// How long SIGTERM waits for a run in progress before cancelling it.
    public let shutdownGrace: Duration
    /// The most connections open at once; more wait in the listen backlog.
    public let maxConnections: Int
    /// How many delivery ids are remembered (the newest ones).
    public let rememberedDeliveries: Int

    /// Checks and keeps the inputs of `overlay serve`.
    public init(
        listen: String, secretFile: String, ref: String = "main", stateDirectory: String,
        bodyLimit: Int = 1 << 20, headerTimeout: Duration = .seconds(10), bodyTimeout: Duration = .seconds(30),
        shutdownGrace: Duration = .seconds(120), maxConnections: Int = 128, rememberedDeliveries: Int = 10_000
    ) throws(ServeError) {
        self.listen = try ListenAddress(parsing: listen)
        _ = try SecretSet.load(from: secretFile)
        self.secretFile = secretFile
        self.ref = try Self.fullRef(ref)
        try Self.prepare(stateDirectory)
        self.stateDirectory = stateDirectory
        guard bodyLimit >= 1024, bodyLimit <= 64 << 20 else {
            throw .badLimit(name: "body limit", reason: "\(bodyLimit) bytes is outside 1 KiB–64 MiB")
        }
        for (name, value) in [("header timeout", headerTimeout), ("body timeout", bodyTimeout)] where value <= .zero {
            throw .badLimit(name: name, reason: "must be more than 0 s")
        }
        guard shutdownGrace >= .zero else { throw .badLimit(name: "shutdown grace", reason: "must not be negative") }
        guard maxConnections >= 1 else { throw .badLimit(name: "max connections", reason: "must be at least 1") }
        guard rememberedDeliveries >= 1 else { throw .badLimit(name: "remembered deliveries", reason: "must be at least 1") }
        self.bodyLimit = bodyLimit
        self.headerTimeout = headerTimeout
        self.bodyTimeout = bodyTimeout
        self.shutdownGrace = shutdownGrace
        self.maxConnections = maxConnections
        self.rememberedDeliveries = rememberedDeliveries
    }

    /// `main` → `refs/heads/main`; a name that git's check-ref-format would refuse throws.
    static func fullRef(_ ref: String) throws(ServeError) -> String {
        let full = ref.hasPrefix("refs/") ? ref : "refs/heads/" + ref
        let bad: Set<Character> = [" ", "~", "^", ":", "?", "*", "[", "\\"]
        if ref.isEmpty { throw .badRef(ref, reason: "the ref is empty") }
        if full.contains(where: { bad.contains($0) || $0.asciiValue.map { $0 < 0x20 || $0 == 0x7F } == true }) {
            throw .badRef(ref, reason: "a ref cannot contain spaces, control characters or any of ~^:?*[\\")
        }
        let parts = full.split(separator: "/", omittingEmptySubsequences: false)
        if full.contains("..") || full.contains("@{") || full.hasSuffix(".lock") || full.hasSuffix("/")
            || parts.contains(where: { $0.isEmpty || $0.hasPrefix(".") }) || parts.count < 2
        {
            throw .badRef(ref, reason: "not a valid ref name")
        }
        return full
    }

    private static func prepare(_ path: String) throws(ServeError) {
        guard !path.isEmpty else { throw .stateDirectoryUnusable(path: path, reason: "the path is empty") }
        do {
            try FileManager.default.createDirectory(
                atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw .stateDirectoryUnusable(path: path, reason: error.localizedDescription)
        }
        guard access(path, W_OK | X_OK) == 0 else {
            throw .stateDirectoryUnusable(path: path, reason: String(cString: strerror(errno)))
        }
    }
}

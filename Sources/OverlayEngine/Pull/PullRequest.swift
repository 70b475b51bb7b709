import OverlayRuntime

/// What `overlay pull` (and `overlay serve`) fetches and applies (SPEC §3.5).
public struct PullRequest: Sendable {
    /// The overlay repo: a URL (`https://`, `ssh://`, `file://`) or a local path.
    public var remote: String
    /// The branch, tag or full ref to follow.
    public var ref: String
    /// The inventory host to apply for (nil: the host this machine is).
    public var host: String?
    /// `-i FILE`, relative to the fetched checkout (nil: its own inventory).
    public var inventory: String?
    /// An OpenSSH allowed-signers file: when set, only commits with a good SSH signature from
    /// a listed signer are applied.
    public var allowedSigners: String?
    /// How an apply runs (lock timeout, generations kept).
    public var apply: ApplyOptions
    /// When set, the fetched commit converges the fleet of its inventory (`serve --action
    /// converge`) instead of applying for this host.
    public var converge: ConvergeOptions?
    /// `--limit` for a converging pull.
    public var limit: String?
    /// Seconds the fetch may take before the pull gives up on the remote (`--fetch-timeout`).
    /// libgit2 1.5 has no network timeout of its own, so a remote that accepts the connection
    /// and never answers would otherwise hold the pull lock for good.
    public var fetchTimeout: Double = 300

    /// A request with apply's defaults.
    public init(
        remote: String, ref: String = "main", host: String? = nil, inventory: String? = nil, allowedSigners: String? = nil,
        apply: ApplyOptions = ApplyOptions()
    ) {
        self.remote = remote
        self.ref = ref
        self.host = host
        self.inventory = inventory
        self.allowedSigners = allowedSigners
        self.apply = apply
    }
}

/// Why a pull could not run at all (its outcomes — failed fetch, rejected commit — are
/// reports, not errors).
public enum PullError: Error, Sendable, CustomStringConvertible {
    /// Another pull holds the pull lock past the timeout.
    case busy(ApplyError)
    /// The state dir cannot be used.
    case stateDir(ApplyError)
    /// `pull.json` cannot be read or written; it holds the bad marks, so pull stops.
    case record(PullRecordError)

    public var description: String {
        switch self {
        case .busy(let error): return error.description
        case .stateDir(let error): return error.description
        case .record(let error): return error.description + "; pull stops rather than forget the commits marked bad"
        }
    }

    /// True when another pull held the lock.
    public var isLockTimeout: Bool {
        if case .busy(.lockTimeout) = self { return true }
        return false
    }
}

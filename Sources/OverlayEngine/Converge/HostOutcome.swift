import OverlayCore

/// What converging one host came to: a line of the recap and a member of the JSON `hosts`.
public struct HostOutcome: Sendable {
    /// Ansible's recap kinds; `skipped` is a host a stopped rolling update never reached;
    /// `interrupted` an SSH host whose apply was cut by an interrupted converge (the apply is
    /// atomic: the host shows its old or its new generation); `not_started` a host an
    /// interrupted converge never began.
    public enum Status: String, Sendable, CaseIterable {
        case ok, changed, failed, unreachable, skipped, interrupted
        case notStarted = "not_started"
    }

    /// What changed on the host, for the text output.
    public enum Detail: Sendable {
        /// Nothing to show.
        case none
        /// A local host's apply, as `overlay apply` reports it.
        case local(HostApplyResult)
        /// What the remote `overlay apply` reported.
        case remote(RemoteChanges)
    }

    /// The host's inventory name.
    public var host: String
    /// How it went.
    public var status: Status
    /// The generation live on the host afterwards, when known.
    public var generation: Int?
    /// Why the host failed, was unreachable or was skipped.
    public var error: String?
    /// The changes.
    public var detail: Detail = .none
    /// The rolling-update batch the host was in (1-based).
    public var batch = 1

    /// True when the host did not converge.
    public var failedOrUnreachable: Bool { status == .failed || status == .unreachable }

    /// What the host's apply warned about, although it may have changed nothing.
    public var warnings: [String] {
        switch detail {
        case .none: return []
        case .local(let result): return result.notes + (result.createOnly?.warnings ?? [])
        case .remote(let remote): return remote.warnings
        }
    }

    /// True while a local host's crontab step waits for its batch (`CrontabBatch`).
    var cronDeferred: Bool {
        if case .local(let result) = detail { return result.cronDeferred }
        return false
    }

    /// True when the host converged (nothing to do, or changed).
    public var converged: Bool { status == .ok || status == .changed }

    static func failed(_ host: String, _ error: String, generation: Int? = nil) -> HostOutcome {
        HostOutcome(host: host, status: .failed, generation: generation, error: error)
    }
}

/// The changes a remote `overlay apply --format json` reported.
public struct RemoteChanges: Sendable {
    /// One changed path.
    public struct Change: Sendable {
        public var action: String
        public var path: String
        public var diff: String?
    }

    /// The paths that changed (not unchanged or kept).
    public var changes: [Change]
    /// The crontab, when its jobs changed.
    public var crontab: String?
    /// Jobs added, updated and removed, in that order (empty kinds left out).
    public var cronParts: [(kind: String, names: [String])]
    /// What the remote apply warned about (a create-only file whose source changed, …).
    public var warnings: [String] = []

    /// True when a path or a cron job changed.
    public var changedAnything: Bool { !changes.isEmpty || !cronParts.isEmpty }
}

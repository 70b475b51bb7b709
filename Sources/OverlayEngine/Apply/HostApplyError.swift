import OverlayRuntime

/// Why one host's apply or rollback stopped before its switch: the old generation stays live.
public enum HostApplyError: Error, Sendable, CustomStringConvertible {
    /// The crontab target cannot be used.
    case crontab(CrontabSetupError)
    /// The apply itself refused or failed (a lock held, a path outside the homes, an I/O error…).
    case apply(ApplyError)
    /// The harness's jobs file cannot be reconciled (corrupt, a symlink): checked before the switch.
    case agentJobs(AgentJobsError)

    public var description: String {
        switch self {
        case .crontab(let error):
            return error.description + "; nothing was changed"
        case .agentJobs(let error):
            return error.description + "; the apply changed nothing"
        case .apply(.lockTimeout(let path, let seconds)):
            return ApplyError.lockTimeout(path: path, seconds: seconds).description
        case .apply(let error):
            if case .io = error { return error.description + "; the previous generation stays live" }
            return error.description + "; nothing was changed"
        }
    }

    /// True when another overlay process held the host's state lock past the timeout.
    public var isLockTimeout: Bool {
        if case .apply(.lockTimeout) = self { return true }
        return false
    }
}

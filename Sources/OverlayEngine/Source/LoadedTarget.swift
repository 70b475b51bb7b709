import OverlayCore
import OverlayRuntime

/// One host's rendered target state, ready to apply, and what the apply needs around it.
public struct LoadedTarget: Sendable {
    /// The rendered golden state (absolute destinations, bytes, modes, cron jobs, handlers).
    public var state: RenderedState
    /// Where the host keeps its generations.
    public var stateDir: StateDirectory
    /// The commit to record in a new generation, when the caller knows it (a bundle, a pull).
    public var commit: String?
    /// For a repo checkout: describes it (`-dirty` included), called only if a generation is built.
    public var describeCommit: (@Sendable () -> String?)?
    /// The host's inventory variables (nil for a bundle): they choose the crontab target.
    public var hostVars: Value?

    /// A target from its parts.
    public init(
        state: RenderedState, stateDir: StateDirectory, commit: String? = nil, describeCommit: (@Sendable () -> String?)? = nil,
        hostVars: Value? = nil
    ) {
        self.state = state
        self.stateDir = stateDir
        self.commit = commit
        self.describeCommit = describeCommit
        self.hostVars = hostVars
    }
}

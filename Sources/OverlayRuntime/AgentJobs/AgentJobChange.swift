/// What reconciling one job did (or, dry, would do).
public struct AgentJobChange: Sendable, Equatable {
    public enum Action: String, Sendable {
        /// A declared job that was not in the file: created.
        case added
        /// An overlay job whose declared fields changed (in the repo, or by hand and reverted).
        case updated
        /// An overlay job no longer declared: deleted.
        case removed
        case unchanged
        /// A job a person or the agent made: left exactly as it was.
        case keptByHand = "kept-by-hand"
        /// An overlay job paused (or resumed) by hand, whose declaration has not changed since:
        /// its state is kept.
        case pausedKept = "paused-kept"
        /// A declared one-shot whose time has passed: not created (the harness would refuse it,
        /// and one that already ran removed itself).
        case expired
    }

    /// The declared name (for a hand-made job: its name in the file).
    public var name: String
    public var action: Action
    /// The job's id in the file (nil for an expired declaration).
    public var id: String?
    /// The owned fields that changed.
    public var fields: [String] = []
    /// Why, in a few words ("edited by hand: reverted", "declaration changed").
    public var reason: String?
    /// The job's declared fields before and after, as the harness's JSON (for `--diff`; nil
    /// when the job did not exist before or does not after).
    public var before: String?
    public var after: String?

    public init(name: String, action: Action, id: String?, fields: [String] = [], reason: String? = nil) {
        self.name = name
        self.action = action
        self.id = id
        self.fields = fields
        self.reason = reason
    }

    /// True for the actions that change the file.
    public var altersFile: Bool { action == .added || action == .updated || action == .removed }
}

/// What the agent-jobs step did to one host's `jobs.json`.
public struct AgentJobsChange: Sendable, Equatable {
    /// The file.
    public var path: String
    /// One entry per declared, overlay-owned or hand-made job.
    public var jobs: [AgentJobChange]
    /// True when the file was written (false in a dry run or when nothing changed).
    public var written: Bool
    /// Things worth knowing that are not failures (a declared name a hand-made job also uses).
    public var notes: [String] = []

    public init(path: String, jobs: [AgentJobChange], written: Bool, notes: [String] = []) {
        self.path = path
        self.jobs = jobs
        self.written = written
        self.notes = notes
    }

    /// True when a job was added, updated or removed.
    public var changedJobs: Bool { jobs.contains(where: \.altersFile) }

    public func names(_ action: AgentJobChange.Action) -> [String] { jobs.filter { $0.action == action }.map(\.name) }
}

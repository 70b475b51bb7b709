/// The work a push starts: for `overlay serve` the engine's pull (fetch, validate, apply
/// for this host) or converge (the fleet at the fetched commit).
///
/// The receiver calls it in the background, at most one run at a time, and passes only
/// the ref it follows: the action fetches and decides by itself what changed.
public protocol PushAction: Sendable {
    /// Fetches `ref` and acts on what was fetched. Cancellation means the server is
    /// shutting down and its grace period is over.
    func run(ref: String) async -> RunReport
}

/// A ``PushAction`` made of a closure.
public struct PushClosure: PushAction {
    private let body: @Sendable (String) async -> RunReport

    /// An action that calls `body` with the ref.
    public init(_ body: @escaping @Sendable (String) async -> RunReport) { self.body = body }

    public func run(ref: String) async -> RunReport { await body(ref) }
}

/// How one run ended, as the action reports it.
public enum RunResult: String, Sendable, Codable, CaseIterable {
    /// A new commit went live.
    case applied
    /// The fetched commit is the one already live: nothing done.
    case unchanged
    /// The fetched commit failed validation (or signature checks); nothing changed.
    case rejected
    /// The commit was deliberately not applied (e.g. the deadman rolled back from it).
    case skipped
    /// The run could not finish (fetch failed, apply failed); the old state is live.
    case failed

    /// Whether the fleet follows the ref after this run (the last-success timestamp).
    public var isSuccess: Bool { self == .applied || self == .unchanged }
}

/// What an action reports about one run; shown by `/status` and counted by `/metrics`.
public struct RunReport: Sendable, Equatable {
    /// How the run ended.
    public var result: RunResult
    /// The commit the run fetched and acted on, when it got that far.
    public var commit: String?
    /// One line for people: what happened or why not.
    public var message: String
    /// Anything else worth showing in `/status` (e.g. `hosts_changed`, a generation number).
    public var details: [String: String]

    /// A report of `result` for `commit`.
    public init(result: RunResult, commit: String? = nil, message: String, details: [String: String] = [:]) {
        self.result = result
        self.commit = commit
        self.message = message
        self.details = details
    }
}

import Foundation

/// The agent's condition as one deadman check saw it.
public enum AgentState: String, Codable, Sendable {
    /// The stamp is fresh: the agent heartbeats.
    case up
    /// The stamp is stale or missing: the agent is down.
    case down
    /// The stamp cannot be used (a folder, a time far in the future, no access): no action.
    case unknown
    /// No stamp yet, shortly after the live generation's switch: no action.
    case waiting
    /// The live generation declares no `deadman:` (or there is none): nothing is checked.
    case off

    /// True for the states `overlay deadman check` reports as a problem (exit 1).
    public var isProblem: Bool { self == .down || self == .unknown }
}

/// What `deadman.json` in a state dir holds: the current episode, the last ones, every action
/// taken and the last check. Changed only by the deadman, under its lock and the state lock.
public struct DeadmanRecord: Codable, Sendable, Equatable {
    /// The layout version of the file.
    public var version = 1
    /// The last check that ran (not a dry run).
    public var lastCheck: DeadmanCheckMark?
    /// The heartbeat that began the current unbroken run of `up` checks (nil after any other).
    public var upSince: Date?
    /// Set when the deadman gave up: no action until `overlay deadman reset`.
    public var active = false
    /// The open episode: from the first `down` until the agent stays up for `max_age`.
    public var episode: DeadmanEpisode?
    /// Closed episodes, oldest first, at most `episodeLimit`.
    public var episodes: [DeadmanEpisode] = []
    /// Every action, oldest first, at most `historyLimit`.
    public var history: [DeadmanEvent] = []
    /// How many episodes have begun (numbers them).
    public var episodeCount = 0

    enum CodingKeys: String, CodingKey {
        case version, active, episode, episodes, history
        case lastCheck = "last_check"
        case upSince = "up_since"
        case episodeCount = "episode_count"
    }

    public init() {}

    /// Closed episodes kept.
    public static let episodeLimit = 20
    /// Actions kept.
    public static let historyLimit = 200

    /// Records an action (its `result` nil until it finished); returns its index in `history`.
    @discardableResult
    public mutating func log(_ event: DeadmanEvent) -> Int {
        history.append(event)
        if history.count > Self.historyLimit { history.removeFirst(history.count - Self.historyLimit) }
        return history.count - 1
    }

    /// Closes the open episode (`end`: `recovered` or `reset`) at `time`.
    public mutating func closeEpisode(at time: Date, end: String) {
        guard var episode else { return }
        episode.ended = time
        episode.end = end
        episodes.append(episode)
        if episodes.count > Self.episodeLimit { episodes.removeFirst(episodes.count - Self.episodeLimit) }
        self.episode = nil
    }
}

/// When the last check ran and what it saw.
public struct DeadmanCheckMark: Codable, Sendable, Equatable {
    public var time: Date
    public var state: AgentState
    public var reason: String
    /// The generation live at the check.
    public var generation: Int?
}

/// One episode: the agent went down, and what the deadman did until it stayed up again.
public struct DeadmanEpisode: Codable, Sendable, Equatable {
    public var number: Int
    /// The first `down` check.
    public var started: Date
    /// The generation live when it started.
    public var generation: Int
    /// Restarts run (counted before each runs): at most `max_retries` + 1.
    public var restarts = 0
    /// Set once the rollback was decided (at most one per episode), whatever came of it.
    public var rollback: DeadmanRollback?
    /// When the deadman gave up (set `deadman_active` and ran `alert`).
    public var gaveUp: Date?
    /// When it ended, and how: `recovered` (up for `max_age`) or `reset`.
    public var ended: Date?
    public var end: String?

    enum CodingKeys: String, CodingKey {
        case number, started, generation, restarts, rollback, ended, end
        case gaveUp = "gave_up"
    }

    public init(number: Int, started: Date, generation: Int) {
        self.number = number
        self.started = started
        self.generation = generation
    }
}

/// The one rollback of an episode.
public struct DeadmanRollback: Codable, Sendable, Equatable {
    public var from: Int
    public var to: Int
    /// Nil until it finished; then whether the switch happened.
    public var succeeded: Bool?
    /// True once a later check took it up again because the check that decided it was stopped
    /// before the switch (it is taken up once).
    public var resumed: Bool? = nil

    public init(from: Int, to: Int, succeeded: Bool?) {
        self.from = from
        self.to = to
        self.succeeded = succeeded
    }
}

/// One action the deadman took, with when, why and on which generation.
public struct DeadmanEvent: Codable, Sendable, Equatable {
    public var time: Date
    /// `restart`, `rollback`, `give-up`, `alert`, `mark-known-good`, `recovered`, `reset`.
    public var action: String
    public var reason: String
    /// The generation live when it was taken.
    public var generation: Int?
    /// The episode it belongs to.
    public var episode: Int?
    /// `ok`, or what went wrong (`exit 3`, `timed out after 120 s`); nil while it runs (or when
    /// the check was killed during it).
    public var result: String?

    public init(time: Date, action: String, reason: String, generation: Int?, episode: Int?, result: String? = nil) {
        self.time = time
        self.action = action
        self.reason = reason
        self.generation = generation
        self.episode = episode
        self.result = result
    }
}

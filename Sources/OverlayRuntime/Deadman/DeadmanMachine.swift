import Foundation

/// What one check sees and knows: the settings, the stamp, the time, the live generation.
public struct DeadmanInputs: Sendable {
    /// The live generation's deadman settings.
    public var settings: Generation.Deadman
    /// What the stamp showed.
    public var stamp: StampReading
    /// The check's time (from the injected `WallClock`).
    public var now: Date
    /// The live generation.
    public var generation: Int
    /// When it went live (nil when not known).
    public var switchedAt: Date?
    /// True when the live generation is known-good.
    public var knownGood: Bool
    /// The newest known-good generation that still exists.
    public var lastKnownGood: Int?

    public init(
        settings: Generation.Deadman, stamp: StampReading, now: Date, generation: Int, switchedAt: Date?, knownGood: Bool,
        lastKnownGood: Int?
    ) {
        self.settings = settings
        self.stamp = stamp
        self.now = now
        self.generation = generation
        self.switchedAt = switchedAt
        self.knownGood = knownGood
        self.lastKnownGood = lastKnownGood
    }
}

/// What one check does (at most one of these; a rollback is followed by its one restart).
public enum DeadmanStep: Sendable, Equatable {
    case none
    /// The agent heartbeats on a generation not yet known-good: mark it.
    case markKnownGood(generation: Int)
    /// The agent stayed up for `max_age`: the episode ends (and the generation is marked when
    /// its heartbeat is newer than its switch).
    case endEpisode(markKnownGood: Int?)
    /// Run `restart` (retry `attempt` of `max_retries`).
    case restart(attempt: Int)
    /// Switch back to the known-good generation `to`, then restart once more.
    case rollback(from: Int, to: Int)
    /// Set `deadman_active` and run `alert`; nothing more until `overlay deadman reset`.
    case giveUp

    /// The step's name in output and records.
    public var action: String {
        switch self {
        case .none: return "none"
        case .markKnownGood: return "mark-known-good"
        case .endEpisode: return "recovered"
        case .restart: return "restart"
        case .rollback: return "rollback"
        case .giveUp: return "give-up"
        }
    }
}

/// The outcome of one check's decision.
public struct DeadmanDecision: Sendable {
    public var state: AgentState
    public var step: DeadmanStep
    /// Why, in one sentence.
    public var reason: String
    /// The record after this check, with the step already counted (a check killed while it
    /// acts cannot let the next one go past the caps) and logged without a result.
    public var record: DeadmanRecord
}

/// The deadman switch of SPEC §3.6 as a pure function: inputs and the record in, the step and
/// the new record out. No clock, no file, no process: the engine reads those and acts.
///
/// Per episode (from the first `down` until the agent is seen up for `max_age`): at most
/// `max_retries` restarts, then at most one rollback with one more restart, then give up.
public enum DeadmanMachine {
    /// A stamp this far ahead of the clock still counts as written now (a clock stepped back
    /// by NTP); further ahead it is not trusted.
    public static let futureTolerance: TimeInterval = 60

    /// Decides what this check does.
    public static func decide(_ inputs: DeadmanInputs, record: DeadmanRecord) -> DeadmanDecision {
        var record = record
        let seen = observe(inputs, episodeOpen: record.episode != nil)
        var decision: DeadmanDecision
        switch seen {
        case .up(let beat, let why):
            if record.upSince == nil { record.upSince = beat }
            decision = up(inputs, beat: beat, why: why, record: record)
        case .down(let why):
            record.upSince = nil
            decision = down(inputs, why: why, record: record)
        case .unknown(let why):
            record.upSince = nil
            decision = DeadmanDecision(state: .unknown, step: .none, reason: why + "; no action", record: record)
        case .waiting(let why):
            decision = DeadmanDecision(state: .waiting, step: .none, reason: why, record: record)
        }
        decision.record.lastCheck = DeadmanCheckMark(
            time: inputs.now, state: decision.state, reason: decision.reason, generation: inputs.generation)
        if decision.step != .none {
            decision.record.log(
                DeadmanEvent(
                    time: inputs.now, action: decision.step.action, reason: decision.reason, generation: inputs.generation,
                    episode: decision.record.episode?.number ?? record.episode?.number))
        }
        return decision
    }

    /// The agent's state and what the stamp says, without deciding anything (`overlay deadman status`).
    public static func assess(_ inputs: DeadmanInputs, record: DeadmanRecord) -> (state: AgentState, reason: String) {
        switch observe(inputs, episodeOpen: record.episode != nil) {
        case .up(_, let why): return (.up, why)
        case .down(let why): return (.down, why)
        case .unknown(let why): return (.unknown, why)
        case .waiting(let why): return (.waiting, why)
        }
    }

    /// `overlay deadman reset`: the open episode ends, `deadman_active` is cleared.
    public static func reset(_ record: DeadmanRecord, at time: Date, generation: Int?) -> DeadmanRecord {
        var record = record
        let episode = record.episode?.number
        let was = record.active ? "the deadman had given up" : record.episode != nil ? "an episode was open" : "nothing was open"
        record.closeEpisode(at: time, end: "reset")
        record.active = false
        record.upSince = nil
        record.log(
            DeadmanEvent(
                time: time, action: "reset", reason: "reset by 'overlay deadman reset' (\(was))", generation: generation,
                episode: episode, result: "ok"))
        return record
    }

    private static func up(_ inputs: DeadmanInputs, beat: Date, why: String, record: DeadmanRecord) -> DeadmanDecision {
        var record = record
        let newerThanSwitch = inputs.switchedAt.map { beat > $0 } ?? false
        let mark = !inputs.knownGood && newerThanSwitch ? inputs.generation : nil
        if record.active {
            return DeadmanDecision(state: .up, step: .none, reason: "\(why), but \(gaveUp(record))", record: record)
        }
        guard let episode = record.episode else {
            if let mark {
                return DeadmanDecision(
                    state: .up, step: .markKnownGood(generation: mark),
                    reason: "\(why), newer than generation \(mark)'s switch: it is known-good", record: record)
            }
            return DeadmanDecision(state: .up, step: .none, reason: why, record: record)
        }
        // To the second: the times went through file mtimes and the record's milliseconds.
        let upFor = beat.timeIntervalSince(record.upSince ?? beat).rounded()
        let maxAge = TimeInterval(inputs.settings.maxAge)
        guard upFor >= maxAge else {
            return DeadmanDecision(
                state: .up, step: .none,
                reason:
                    "\(why); up for \(Int(upFor)) s of the \(inputs.settings.maxAge) s it must stay up to end episode \(episode.number)",
                record: record)
        }
        record.closeEpisode(at: inputs.now, end: "recovered")
        let marked = mark.map { ", and generation \($0) is known-good" } ?? ""
        return DeadmanDecision(
            state: .up, step: .endEpisode(markKnownGood: mark),
            reason: "\(why); up for \(Int(upFor)) s: episode \(episode.number) ends\(marked)", record: record)
    }

    private static func down(_ inputs: DeadmanInputs, why: String, record: DeadmanRecord) -> DeadmanDecision {
        var record = record
        if record.active {
            return DeadmanDecision(state: .down, step: .none, reason: "\(why); \(gaveUp(record))", record: record)
        }
        var episode: DeadmanEpisode
        if let open = record.episode {
            episode = open
        } else {
            record.episodeCount += 1
            episode = DeadmanEpisode(number: record.episodeCount, started: inputs.now, generation: inputs.generation)
        }
        let settings = inputs.settings
        let step: DeadmanStep
        let reason: String
        if episode.rollback == nil && episode.restarts < settings.maxRetries {
            episode.restarts += 1
            step = .restart(attempt: episode.restarts)
            reason = "\(why): restart \(episode.restarts) of \(settings.maxRetries)"
        } else if episode.rollback == nil, let target = rollbackTarget(inputs) {
            episode.rollback = DeadmanRollback(from: inputs.generation, to: target, succeeded: nil)
            episode.restarts += 1
            step = .rollback(from: inputs.generation, to: target)
            reason =
                "\(why) after \(settings.maxRetries) restart(s): rolling back from generation \(inputs.generation), not known-good, to known-good generation \(target), then restarting once more"
        } else if var pending = episode.rollback, pending.succeeded == nil, pending.resumed != true,
            pending.from == inputs.generation, pending.to != inputs.generation
        {
            // The check that decided this rollback was stopped (killed, a reboot) before the switch.
            pending.resumed = true
            episode.rollback = pending
            step = .rollback(from: pending.from, to: pending.to)
            reason =
                "\(why): the rollback from generation \(pending.from) to known-good generation \(pending.to) decided by an earlier check never happened (that check was stopped before the switch); rolling back now, then restarting once more"
        } else {
            record.active = true
            episode.gaveUp = inputs.now
            step = .giveUp
            reason = "\(why): giving up (\(giveUpCause(inputs, episode: episode))); no action until 'overlay deadman reset'"
        }
        record.episode = episode
        return DeadmanDecision(state: .down, step: step, reason: reason, record: record)
    }

    private static func gaveUp(_ record: DeadmanRecord) -> String {
        let episode = record.episode.map { " in episode \($0.number)" } ?? ""
        return "the deadman gave up\(episode): no action until 'overlay deadman reset'"
    }

    /// The known-good generation a rollback would go to, or nil when there is no rollback.
    static func rollbackTarget(_ inputs: DeadmanInputs) -> Int? {
        guard inputs.settings.rollback, !inputs.knownGood, let target = inputs.lastKnownGood, target != inputs.generation
        else { return nil }
        return target
    }

    private static func giveUpCause(_ inputs: DeadmanInputs, episode: DeadmanEpisode) -> String {
        if let rollback = episode.rollback {
            return rollback.succeeded == false
                ? "the rollback to generation \(rollback.to) failed"
                : "the restart after the rollback to generation \(rollback.to) did not bring it back"
        }
        let spent = "\(inputs.settings.maxRetries) restart(s) spent"
        if !inputs.settings.rollback { return "\(spent), rollback is off" }
        if inputs.knownGood { return "\(spent), generation \(inputs.generation) is known-good: a rollback would not help" }
        return "\(spent), no known-good generation to roll back to"
    }

    /// What the stamp says about the agent, before the record is consulted.
    enum Seen {
        /// Fresh: the heartbeat's time (never after `now`) and a description.
        case up(Date, String)
        case down(String)
        case unknown(String)
        case waiting(String)
    }

    static func observe(_ inputs: DeadmanInputs, episodeOpen: Bool) -> Seen {
        let maxAge = TimeInterval(inputs.settings.maxAge)
        let path = inputs.settings.stamp
        switch inputs.stamp {
        case .written(let time):
            let age = inputs.now.timeIntervalSince(time)
            if age < -futureTolerance {
                return .unknown(
                    "the stamp \(path) is dated \(Int(-age)) s ahead of the clock (a clock set back, or a stamp touched by hand); the agent's next heartbeat rewrites it"
                )
            }
            if age <= maxAge { return .up(min(time, inputs.now), "heartbeat \(Int(max(age, 0))) s ago") }
            return .down("no heartbeat for \(Int(age)) s (max_age \(inputs.settings.maxAge) s)")
        case .missing:
            if !episodeOpen, let switched = inputs.switchedAt {
                let since = inputs.now.timeIntervalSince(switched)
                if since >= 0 && since < maxAge {
                    return .waiting(
                        "no stamp at \(path) yet; generation \(inputs.generation) went live \(Int(since)) s ago, less than max_age")
                }
            }
            return .down("no stamp at \(path)")
        case .unusable(let why):
            return .unknown(why)
        }
    }
}

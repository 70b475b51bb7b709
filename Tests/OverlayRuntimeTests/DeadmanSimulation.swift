import Foundation
import OverlayCore

@testable import OverlayRuntime

/// The deadman state machine driven check by check with an injected clock, the effects of its
/// steps applied to a model of the state dir (live generation, known-good marks): no files, no
/// processes, no sleeping.
struct DeadmanSimulation {
    var settings: Generation.Deadman
    var record = DeadmanRecord()
    let clock = ManualClock()
    /// The live generation and when it went live.
    var generation: Int
    var switchedAt: Date
    var knownGood: Set<Int>
    var existing: Set<Int>
    /// Every decision, in order.
    var decisions: [DeadmanDecision] = []

    init(maxRetries: Int = 3, rollback: Bool = true, maxAge: Int = 180, generation: Int = 2, knownGood: Set<Int> = [1]) {
        settings = Generation.Deadman(
            RenderedDeadman(
                stamp: "/home/agent/.hermes/heartbeat.stamp", maxAge: maxAge, every: 60, restart: "systemctl --user restart hermes",
                maxRetries: maxRetries, rollback: rollback, alert: "notify"))
        self.generation = generation
        switchedAt = clock.now()
        self.knownGood = knownGood
        existing = Set(1...max(generation, knownGood.max() ?? 1))
    }

    /// One check a minute after the last: the agent heartbeat 5 s ago (`up`) or an hour ago.
    @discardableResult
    mutating func check(up: Bool) -> DeadmanDecision {
        clock.advance(60)
        let now = clock.now()
        return check(.written(now.addingTimeInterval(up ? -5 : -3600)))
    }

    /// One check seeing `stamp`, at the clock's time.
    @discardableResult
    mutating func check(_ stamp: StampReading, killedBeforeTheSwitch: Bool = false) -> DeadmanDecision {
        let inputs = DeadmanInputs(
            settings: settings, stamp: stamp, now: clock.now(), generation: generation, switchedAt: switchedAt,
            knownGood: knownGood.contains(generation), lastKnownGood: knownGood.filter(existing.contains).max())
        let decision = DeadmanMachine.decide(inputs, record: record)
        record = decision.record
        decisions.append(decision)
        switch decision.step {
        case .markKnownGood(let n), .endEpisode(markKnownGood: let n?): knownGood.insert(n)
        case .rollback(_, let to):
            // A check killed after saving its decision and before the switch changes nothing.
            guard !killedBeforeTheSwitch else { break }
            generation = to
            switchedAt = clock.now()
        default: break
        }
        return decision
    }

    /// Restarts run so far (a rollback runs one).
    var restarts: Int { decisions.filter { if case .restart = $0.step { return true } else { return false } }.count + rollbacks }
    var rollbacks: Int { decisions.filter { if case .rollback = $0.step { return true } else { return false } }.count }
    var giveUps: Int { decisions.filter { $0.step == .giveUp }.count }

    /// Every episode, closed and open.
    var episodes: [DeadmanEpisode] { record.episodes + (record.episode.map { [$0] } ?? []) }
}

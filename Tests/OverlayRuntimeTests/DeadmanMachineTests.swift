import Foundation
import OverlayCore
import Testing

@testable import OverlayRuntime

/// SPEC §3.6's state machine, check by check with a manual clock.
@Suite struct DeadmanMachineTests {
    @Test func aHealthyAgentIsMarkedKnownGoodOnceAndNothingElseHappens() {
        var sim = DeadmanSimulation()
        for _ in 0..<30 { sim.check(up: true) }
        #expect(sim.decisions.map(\.step.action).filter { $0 != "none" } == ["mark-known-good"])
        #expect(sim.decisions.first?.step == .markKnownGood(generation: 2))
        #expect(sim.knownGood == [1, 2] && sim.record.episode == nil && sim.episodes.isEmpty)
        #expect(sim.decisions.allSatisfy { $0.state == .up })
        #expect(sim.record.history.count == 1, "only the mark is an action")
    }

    @Test func aHeartbeatOlderThanTheSwitchDoesNotMarkTheGeneration() {
        var sim = DeadmanSimulation()
        sim.clock.advance(60)
        // Written 30 s before generation 2 went live, and still fresh.
        sim.switchedAt = sim.clock.now().addingTimeInterval(-20)
        let d = sim.check(.written(sim.clock.now().addingTimeInterval(-50)))
        #expect(d.state == .up && d.step == .none && !sim.knownGood.contains(2))
    }

    @Test func oneCrashIsRestartedAndTheEpisodeEndsAfterMaxAgeUp() {
        var sim = DeadmanSimulation(generation: 1, knownGood: [1])
        sim.check(up: true)
        let down = sim.check(up: false)
        #expect(down.state == .down && down.step == .restart(attempt: 1))
        #expect(down.reason.contains("restart 1 of 3"))
        // Up again: the episode stays open until the heartbeats span max_age (180 s).
        let steps = (0..<4).map { _ in sim.check(up: true).step }
        #expect(steps == [.none, .none, .none, .endEpisode(markKnownGood: nil)])
        #expect(sim.record.episode == nil && sim.record.episodes.map(\.end) == ["recovered"])
        #expect(sim.record.episodes.first?.restarts == 1)
        // The next crash starts a fresh episode with a fresh count.
        #expect(sim.check(up: false).step == .restart(attempt: 1))
        #expect(sim.record.episode?.number == 2)
    }

    @Test func aPermanentlyDeadAgentGetsExactlyItsRetriesOneRollbackOneRestartThenSilence() {
        var sim = DeadmanSimulation(maxRetries: 3, generation: 2, knownGood: [1])
        let steps = (0..<60).map { _ in sim.check(up: false).step }
        #expect(
            Array(steps.prefix(5)) == [
                .restart(attempt: 1), .restart(attempt: 2), .restart(attempt: 3), .rollback(from: 2, to: 1), .giveUp,
            ])
        #expect(steps.dropFirst(5).allSatisfy { $0 == .none }, "silence until reset")
        #expect(sim.restarts == 4 && sim.rollbacks == 1 && sim.giveUps == 1)
        #expect(sim.record.active && sim.generation == 1)
        #expect(sim.record.episode?.restarts == 4 && sim.record.episode?.rollback?.to == 1)
        #expect(sim.decisions.last?.reason.contains("no action until 'overlay deadman reset'") == true)
        #expect(sim.decisions[4].reason.contains("the restart after the rollback to generation 1 did not bring it back"))
    }

    @Test func withoutAKnownGoodGenerationOrWithRollbackOffItGivesUpAfterTheRetries() {
        var none = DeadmanSimulation(maxRetries: 2, generation: 1, knownGood: [])
        var off = DeadmanSimulation(maxRetries: 2, rollback: false)
        var good = DeadmanSimulation(maxRetries: 2, generation: 1, knownGood: [1])
        for _ in 0..<10 {
            none.check(up: false)
            off.check(up: false)
            good.check(up: false)
        }
        for sim in [none, off, good] {
            #expect(sim.restarts == 2 && sim.rollbacks == 0 && sim.giveUps == 1 && sim.record.active)
        }
        #expect(none.decisions[2].reason.contains("no known-good generation to roll back to"))
        #expect(off.decisions[2].reason.contains("rollback is off"))
        #expect(good.decisions[2].reason.contains("generation 1 is known-good: a rollback would not help"))
    }

    @Test func aPrunedKnownGoodGenerationIsNotARollbackTarget() {
        var sim = DeadmanSimulation(maxRetries: 1, generation: 3, knownGood: [1, 2])
        sim.existing = [1, 3]  // generation 2 was removed behind the pruner's back
        sim.check(up: false)
        #expect(sim.check(up: false).step == .rollback(from: 3, to: 1))
    }

    @Test func zeroRetriesRollsBackAtTheFirstDownCheck() {
        var sim = DeadmanSimulation(maxRetries: 0)
        #expect(sim.check(up: false).step == .rollback(from: 2, to: 1))
        #expect(sim.check(up: false).step == .giveUp)
        #expect(sim.restarts == 1)
    }

    @Test func aRollbackWhoseCheckWasKilledBeforeTheSwitchIsTakenUpOnceByTheNextCheck() {
        var sim = DeadmanSimulation(maxRetries: 0)
        sim.clock.advance(600)
        let killed = sim.check(.written(sim.clock.now().addingTimeInterval(-600)), killedBeforeTheSwitch: true)
        #expect(killed.step == .rollback(from: 2, to: 1) && sim.generation == 2)
        sim.clock.advance(60)
        let resumed = sim.check(.written(sim.clock.now().addingTimeInterval(-660)), killedBeforeTheSwitch: true)
        #expect(resumed.step == .rollback(from: 2, to: 1), "\(resumed.reason)")
        #expect(resumed.reason.contains("never happened"))
        // Killed again: the rollback is not taken up a second time; the deadman gives up.
        sim.clock.advance(60)
        #expect(sim.check(.written(sim.clock.now().addingTimeInterval(-720))).step == .giveUp)
    }

    @Test func anAgentUpForOneCheckAtATimeStaysInOneEpisode() {
        var sim = DeadmanSimulation(maxRetries: 3)
        for i in 0..<100 { sim.check(up: i % 2 == 1) }
        #expect(sim.episodes.count == 1)
        #expect(sim.restarts == 4 && sim.rollbacks == 1 && sim.giveUps == 1)
        #expect(sim.record.active)
    }

    @Test(arguments: [1, 7, 42, 1234, 99_991])
    func flappingNeverExceedsTheCapsOfAnEpisode(seed: UInt64) {
        var sim = DeadmanSimulation(maxRetries: 2)
        var rng = SplitMix(seed: seed)
        for _ in 0..<100 {
            sim.check(up: rng.next() % 3 != 0)
            if sim.record.active && rng.next() % 5 == 0 {
                sim.record = DeadmanMachine.reset(sim.record, at: sim.clock.now(), generation: sim.generation)
            }
        }
        for episode in sim.episodes {
            #expect(episode.restarts <= 3, "episode \(episode.number): \(episode.restarts) restarts")
            let events = sim.record.history.filter { $0.episode == episode.number }
            #expect(events.filter { $0.action == "restart" }.count <= 2)
            #expect(events.filter { $0.action == "rollback" }.count <= 1)
            #expect(events.filter { $0.action == "give-up" }.count <= 1)
        }
        #expect(sim.rollbacks <= sim.episodes.count)
    }

    @Test func resetStartsAFreshEpisode() {
        var sim = DeadmanSimulation(maxRetries: 1, rollback: false)
        for _ in 0..<4 { sim.check(up: false) }
        #expect(sim.record.active && sim.record.episode?.number == 1)
        sim.record = DeadmanMachine.reset(sim.record, at: sim.clock.now(), generation: 2)
        #expect(!sim.record.active && sim.record.episode == nil && sim.record.episodes.map(\.end) == ["reset"])
        #expect(sim.record.history.last?.action == "reset")
        let next = sim.check(up: false)
        #expect(next.step == .restart(attempt: 1) && sim.record.episode?.number == 2)
    }

    @Test func aStampFarInTheFutureIsNotTrustedEitherWay() {
        var sim = DeadmanSimulation()
        sim.clock.advance(60)
        let ahead = sim.check(.written(sim.clock.now().addingTimeInterval(3600)))
        #expect(ahead.state == .unknown && ahead.step == .none && ahead.reason.contains("3600 s ahead of the clock"))
        // A little ahead (a clock stepped back by NTP) counts as written now.
        let near = sim.check(.written(sim.clock.now().addingTimeInterval(30)))
        #expect(near.state == .up && near.step == .markKnownGood(generation: 2))
    }

    @Test func anUnusableStampIsNoReasonToActAndBreaksAnUpRun() {
        var sim = DeadmanSimulation()
        sim.check(up: false)
        sim.check(up: true)
        let odd = sim.check(.unusable("the stamp /x is a folder"))
        #expect(odd.state == .unknown && odd.step == .none && odd.state.isProblem)
        #expect(sim.record.upSince == nil && sim.record.episode?.restarts == 1)
    }

    @Test func aMissingStampRightAfterTheSwitchIsWaitedForThenCountsAsDown() {
        var sim = DeadmanSimulation()
        sim.clock.advance(30)
        let early = sim.check(.missing)
        #expect(early.state == .waiting && early.step == .none && !early.state.isProblem)
        sim.clock.advance(200)
        let late = sim.check(.missing)
        #expect(late.state == .down && late.step == .restart(attempt: 1) && late.reason.contains("no stamp at"))
    }

    @Test func everyStepIsLoggedWithTimeReasonGenerationAndEpisode() {
        var sim = DeadmanSimulation(maxRetries: 1)
        sim.check(up: false)
        sim.check(up: false)
        let events = sim.record.history
        #expect(events.map(\.action) == ["restart", "rollback"])
        #expect(events.map(\.generation) == [2, 2] && events.map(\.episode) == [1, 1])
        #expect(events[1].time == sim.clock.now() && events[1].reason.contains("to known-good generation 1"))
        #expect(events.allSatisfy { $0.result == nil }, "the engine fills in the results")
    }
}

/// A small deterministic generator for the flapping patterns.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

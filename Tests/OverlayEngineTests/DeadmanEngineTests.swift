import Foundation
import OverlayCore
import OverlayEngine
import OverlayRuntime
import Testing

/// The deadman through the engine on real state dirs, crontab files and processes, with the
/// engine's clock driven by the test (no sleeping).
@Suite struct DeadmanEngineTests {
    @Test func applyInstallsTheCheckWithAbsolutePathsAndRecordsTheSettings() throws {
        let d = try DeadmanFleet()
        defer { d.cleanup() }
        let result = try d.apply("good\n")
        #expect(result.ok && result.cron.change?.added.contains("overlay-deadman") == true)
        let line = d.crontab.split(separator: "\n").first { $0.contains("deadman check") }.map(String.init)
        let dir = d.state.path
        #expect(
            line
                == "* * * * * root export OVERLAY_STATE_DIR='\(dir)'; cd '\(dir)' && mkdir -p -m 700 logs && '/usr/local/bin/overlay' deadman check --quiet >>logs/deadman-cron.log 2>&1"
                || line
                    == "* * * * * \(ManagedCrontab.currentUserName() ?? "?") export OVERLAY_STATE_DIR='\(dir)'; cd '\(dir)' && mkdir -p -m 700 logs && '/usr/local/bin/overlay' deadman check --quiet >>logs/deadman-cron.log 2>&1",
            "\(d.crontab)")
        let settings = try GenerationStore(state: d.state).load(1).deadman
        #expect(settings?.stamp == d.stamp && settings?.maxAge == 180 && settings?.every == 60 && settings?.maxRetries == 2)
        #expect(!(try d.apply("good\n")).changed, "a second apply changes nothing")
    }

    @Test func removingDeadmanFromTheSiteRemovesTheCronEntryOnApplyAndConverge() throws {
        let d = try DeadmanFleet(hosts: 2)
        defer { d.cleanup() }
        let engine = d.engine
        _ = try engine.converge(try engine.planConverge(d.fleet.source, limit: nil), options: ConvergeOptions())
        let crontabs = {
            [d.fleet.crontab("h0001"), d.fleet.crontab("h0002")].map { (try? String(contentsOfFile: $0, encoding: .utf8)) ?? "" }
        }
        #expect(crontabs().allSatisfy { $0.contains("# overlay job: overlay-deadman") && $0.contains("deadman check") })

        try d.writeSite(deadman: false)
        let outcomes = try engine.converge(try engine.planConverge(d.fleet.source, limit: "h0002"), options: ConvergeOptions())
        #expect(outcomes.map(\.status.rawValue) == ["changed"])
        #expect(crontabs()[1].contains("echo h0002") && !crontabs()[1].contains("deadman"), "\(crontabs()[1])")
        #expect(crontabs()[0].contains("deadman check"), "h0001 was not converged")
        let removed = try d.apply("good\n")
        #expect(removed.cron.change?.removed == ["overlay-deadman"] && !d.crontab.contains("deadman"))
        #expect(try GenerationStore(state: d.state).current()?.deadman == nil)
        let report = try d.check()
        #expect(report.state == .off && report.step == .none && report.ok && report.reason.contains("declares no deadman"))
    }

    @Test func aBadConfigAfterAKnownGoodOneIsRolledBackToIt() throws {
        let d = try DeadmanFleet(maxRetries: 2)
        defer { d.cleanup() }
        try d.apply("good\n", commit: String(repeating: "a", count: 40))
        try d.beat(ago: -10)
        let first = try d.check(after: 10)
        #expect(first.step == .markKnownGood(generation: 1) && first.knownGood && d.knownGood == [1])

        let bad = String(repeating: "b", count: 40)
        try d.apply("bad\n", commit: bad)
        #expect(d.live == 2 && d.fleet.read(d.host) == "bad\n")
        // The agent never heartbeats on generation 2.
        var steps: [DeadmanStep] = []
        for _ in 0..<8 { steps.append(try d.check(after: 300).step) }
        #expect(Array(steps.prefix(4)) == [.restart(attempt: 1), .restart(attempt: 2), .rollback(from: 2, to: 1), .giveUp])
        #expect(steps.dropFirst(4).allSatisfy { $0 == .none })

        #expect(d.live == 1 && d.fleet.read(d.host) == "good\n", "generation 1's files are live again")
        #expect(d.lines(d.restartsLog) == ["2 bad", "2 bad", "1 good"], "the last restart ran on the rolled-back config")
        #expect(d.lines(d.alertsLog) == ["h0001 give-up"])
        #expect(d.crontab.contains("deadman check") && d.crontab.contains("echo h0001"), "generation 1's jobs are installed")
        let pull = try PullRecordStore(state: d.state).load()
        #expect(pull.bad.map(\.commit) == [bad] && pull.bad.first?.generation == 2)
        let record = try #require(d.record)
        #expect(
            record.active && record.episode?.restarts == 3 && record.episode?.rollback == DeadmanRollback(from: 2, to: 1, succeeded: true))
        #expect(record.history.map(\.action) == ["mark-known-good", "restart", "restart", "rollback", "restart", "give-up"])
        #expect(record.history.allSatisfy { $0.result != nil })
        #expect(record.history.map(\.generation) == [1, 2, 2, 2, 1, 1])
        let log = try String(contentsOfFile: d.state.deadmanLogPath, encoding: .utf8)
        #expect(log.components(separatedBy: "restart: echo").count == 4 && log.contains("== alert ok"))

        // A human fixes it: reset clears the mark and the bad commit, and the next down check restarts again.
        let reset = try d.engine.deadmanReset(stateDir: d.state, lockTimeout: 2)
        #expect(reset.ok && reset.wasActive && reset.endedEpisode == 1 && reset.clearedCommits == [bad])
        #expect(try PullRecordStore(state: d.state).load().bad.isEmpty)
        #expect(try d.check().step == .restart(attempt: 1))
        #expect(d.record?.episode?.number == 2)
    }

    @Test func aDirtyCommitIsNotMarkedBad() throws {
        let d = try DeadmanFleet(maxRetries: 0)
        defer { d.cleanup() }
        try d.apply("good\n")
        try d.beat(ago: -10)
        try d.check(after: 10)
        try d.apply("bad\n", commit: String(repeating: "c", count: 40) + "-dirty")
        let report = try d.check(after: 600)
        #expect(report.step == .rollback(from: 2, to: 1) && d.live == 1)
        #expect(report.warnings.contains { $0.contains("uncommitted changes") })
        #expect(try PullRecordStore(state: d.state).load().bad.isEmpty)
    }

    @Test func aDryRunChangesNothing() throws {
        let d = try DeadmanFleet(maxRetries: 1)
        defer { d.cleanup() }
        try d.apply("good\n")
        try d.beat(ago: -5)
        let listing = { (try? FileManager.default.subpathsOfDirectory(atPath: d.state.path).sorted()) ?? [] }
        let before = listing()
        let up = try d.check(after: 5, dryRun: true)
        #expect(up.dryRun && up.step == .markKnownGood(generation: 1) && d.knownGood.isEmpty)
        let down = try d.check(after: 900, dryRun: true)
        #expect(down.step == .restart(attempt: 1) && down.state == .down && !down.ok)
        #expect(listing() == before, "no record, no lock file, no log")
        #expect(!FileManager.default.fileExists(atPath: d.restartsLog), "no process ran")
        #expect(d.record == DeadmanRecord())
    }

    @Test func noKnownGoodGenerationMeansNoRollback() throws {
        let d = try DeadmanFleet(maxRetries: 1)
        defer { d.cleanup() }
        try d.apply("good\n")
        try d.apply("bad\n")
        let steps = try (0..<3).map { _ in try d.check(after: 600).step }
        #expect(steps == [.restart(attempt: 1), .giveUp, .none] && d.live == 2)
        #expect(d.record?.lastCheck?.reason.contains("no action until") == true)
        #expect(d.record?.history.last?.reason.contains("no known-good generation to roll back to") == true)
    }

    @Test func aPrunedKnownGoodGenerationFallsBackToAnOlderOne() throws {
        let d = try DeadmanFleet(maxRetries: 0)
        defer { d.cleanup() }
        try d.apply("one\n")
        try d.apply("two\n")
        try GenerationStore(state: d.state).setKnownGood(1)
        try GenerationStore(state: d.state).setKnownGood(2)
        try d.apply("three\n")
        // Generation 2 disappears (a hand-made cleanup: prune itself keeps the last known-good).
        try FileManager.default.removeItem(atPath: d.state.generationPath(2))
        let report = try d.check(after: 600)
        #expect(report.step == .rollback(from: 3, to: 1) && d.live == 1 && d.fleet.read(d.host) == "one\n")
    }

    @Test func aFailedRollbackGivesUpAtOnceAndTakesBackTheBadMark() throws {
        let d = try DeadmanFleet(maxRetries: 0)
        defer { d.cleanup() }
        try d.apply("good\n")
        try GenerationStore(state: d.state).setKnownGood(1)
        let bad = String(repeating: "d", count: 40)
        try d.apply("bad\n", commit: bad)
        // Generation 1's stored file was changed after it was built: rollback refuses it.
        let stored = d.state.generationPath(1) + "/files/agent/agent.yaml"
        chmod(stored, 0o644)
        try "tampered\n".write(toFile: stored, atomically: false, encoding: .utf8)
        let report = try d.check(after: 600)
        #expect(report.step == .rollback(from: 2, to: 1) && d.live == 2)
        #expect(report.problems.contains { $0.contains("rollback to generation 1 failed") } && !report.ok)
        #expect(report.record.active && report.record.episode?.rollback?.succeeded == false)
        #expect(report.actions.map(\.action) == ["rollback", "give-up"] && report.record.episode?.restarts == 0)
        #expect(d.lines(d.restartsLog).isEmpty && d.lines(d.alertsLog) == ["h0001 give-up"])
        #expect(try PullRecordStore(state: d.state).load().bad.isEmpty)
    }

    @Test func oddStampsAndRecordsAreNeverActedOn() throws {
        let d = try DeadmanFleet()
        defer { d.cleanup() }
        try d.apply("good\n")
        try FileManager.default.createDirectory(atPath: d.stamp, withIntermediateDirectories: true)
        let folder = try d.check(after: 600)
        #expect(folder.state == .unknown && folder.step == .none && !folder.ok && folder.reason.contains("is a folder"))
        try FileManager.default.removeItem(atPath: d.stamp)
        try d.beat(ago: -7200)
        let future = try d.check()
        #expect(future.state == .unknown && future.step == .none && future.reason.contains("ahead of the clock"))

        try "{ not json".write(toFile: d.state.deadmanRecordPath, atomically: true, encoding: .utf8)
        try d.beat(ago: 3600)
        #expect {
            try d.check()
        } throws: { error in
            guard case DeadmanError.record(.corrupt) = error else { return false }
            return "\(error)".contains("overlay deadman reset")
        }
        #expect(throws: DeadmanError.self) { try d.engine.deadmanStatus(stateDir: d.state) }
        #expect(!FileManager.default.fileExists(atPath: d.restartsLog), "nothing ran on a record it could not read")
        let reset = try d.engine.deadmanReset(stateDir: d.state, lockTimeout: 2)
        #expect(reset.setAside.map { FileManager.default.fileExists(atPath: $0) } == true)
        #expect(try d.check().step == .restart(attempt: 1))
    }

    @Test func aSecondCheckWaitsForTheFirstAndGivesUpAtItsTimeout() throws {
        let d = try DeadmanFleet()
        defer { d.cleanup() }
        try d.apply("good\n")
        let held = try StateLock.acquire(file: d.state.deadmanLockPath, timeout: 1)
        defer { held.release() }
        #expect {
            try d.engine.deadmanCheck(stateDir: d.state, lockTimeout: 0.2)
        } throws: { error in
            guard case DeadmanError.lockTimeout = error else { return false }
            return true
        }
        #expect(d.record == DeadmanRecord(), "the waiting check did nothing")
    }

    @Test func concurrentChecksNeverActTwiceOnOneDecision() throws {
        let d = try DeadmanFleet(maxRetries: 3)
        defer { d.cleanup() }
        try d.apply("good\n")
        try GenerationStore(state: d.state).setKnownGood(1)
        d.fleet.clock.advance(3600)
        let engine = d.engine
        let state = d.state
        DispatchQueue.concurrentPerform(iterations: 8) { _ in
            _ = try? engine.deadmanCheck(stateDir: state, lockTimeout: 30)
        }
        // Eight checks at one instant: three restarts, then the give-up (generation 1 is known-good).
        #expect(d.lines(d.restartsLog).count == 3 && d.lines(d.alertsLog).count == 1)
        #expect(d.record?.history.map(\.action) == ["restart", "restart", "restart", "give-up"])
    }

    @Test func heartbeatWritesTheLiveGenerationsStampAndStatusShowsTheEpisodes() throws {
        let d = try DeadmanFleet(maxRetries: 1)
        defer { d.cleanup() }
        #expect(throws: DeadmanError.self) { try d.engine.heartbeat(stamp: nil, stateDir: d.state) }
        try d.apply("good\n")
        d.fleet.clock.advance(5)
        #expect(try d.engine.heartbeat(stamp: nil, stateDir: d.state) == d.stamp)
        guard case .written(let time) = StampReading.read(d.stamp) else { Issue.record("no stamp"); return }
        #expect(abs(time.timeIntervalSince(d.fleet.clock.now())) < 0.001)
        try d.check(after: 1)
        try d.check(after: 600)
        for _ in 0..<4 {
            try d.beat()
            try d.check()
        }
        let status = try d.engine.deadmanStatus(stateDir: d.state)
        #expect(status.state == .up && status.step == .none && status.record.episode == nil)
        #expect(status.record.episodes.map(\.end) == ["recovered"] && status.record.episodes.first?.restarts == 1)
        #expect(status.record.history.map(\.action) == ["mark-known-good", "restart", "recovered"])
    }
}

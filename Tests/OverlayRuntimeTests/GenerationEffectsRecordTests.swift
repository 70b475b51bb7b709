import Foundation
import OverlayCore
import Testing

@testable import OverlayRuntime

/// A generation records the cron jobs and handlers it was applied with, so rollback can put them back.
@Suite struct GenerationEffectsRecordTests {
    let jobs = [
        RenderedCronJob(name: "beat", schedule: "*/5 * * * *", command: "overlay heartbeat", env: ["A": "it's 100%"]),
        RenderedCronJob(name: "backup", schedule: "@daily", command: "tar czf /tmp/b.tgz /etc", user: "backup"),
    ]

    func state(_ f: RuntimeFixture, jobs: [RenderedCronJob], handlers: [RenderedHandler] = []) -> RenderedState {
        var s = f.rendered(["config.yaml": "x\n"], handlers: handlers)
        s.cronJobs = jobs
        return s
    }

    @Test func theRecordSurvivesBothWaysOfReadingAGeneration() throws {
        let f = try RuntimeFixture()
        defer { f.cleanup() }
        let handler = RenderedHandler(
            name: "restart", run: "systemctl --user restart hermes", onChange: [f.home + "/config.yaml"], timeoutSeconds: 900)
        _ = try f.executor.apply(state(f, jobs: jobs, handlers: [handler]), options: ApplyOptions(lockTimeout: 5, crontabTarget: "user"))
        let expected = Generation.Cron(target: "user", jobs: jobs)

        let fast = try GenerationStore(state: f.state).load(1)
        try FileManager.default.removeItem(atPath: f.state.generationPath(1) + "/header.json")
        let fromJSON = try GenerationStore(state: f.state).load(1)

        for record in [fast, fromJSON] {
            #expect(record.cron == expected)
            #expect(record.cron?.renderedJobs == jobs)
            #expect(record.handlers?.map(\.rendered) == [handler])
        }
    }

    /// A U+FEFF at the start of a command (or anywhere) comes back from both readings, so the
    /// next apply sees the same jobs and makes no new generation.
    @Test func aByteOrderMarkInACommandSurvivesTheRecord() throws {
        let f = try RuntimeFixture()
        defer { f.cleanup() }
        let odd = [RenderedCronJob(name: "beat", schedule: "*/5 * * * *", command: "\u{FEFF}echo b\u{FEFF}", env: ["B": "\u{FEFF}v"])]
        _ = try f.executor.apply(state(f, jobs: odd), options: ApplyOptions(lockTimeout: 5, crontabTarget: "user"))
        let fast = try GenerationStore(state: f.state).load(1)
        try FileManager.default.removeItem(atPath: f.state.generationPath(1) + "/header.json")
        let fromJSON = try GenerationStore(state: f.state).load(1)
        for record in [fast, fromJSON] { #expect(record.cron?.renderedJobs == odd) }
        let again = try f.executor.apply(state(f, jobs: odd), options: ApplyOptions(lockTimeout: 5, crontabTarget: "user"))
        #expect(again.generation == nil || again.generation == 1, "a no-op made generation \(again.generation ?? -1)")
        #expect(GenerationStore(state: f.state).numbers() == [1])
    }

    @Test func repairingAnEditedFileKeepsTheRecord() throws {
        let f = try RuntimeFixture()
        defer { f.cleanup() }
        let s = state(f, jobs: jobs)
        let options = ApplyOptions(lockTimeout: 5, crontabTarget: "file:/etc/cron.d/overlay")
        _ = try f.executor.apply(s, options: options)
        try f.editThroughSymlink("config.yaml", appending: "edit\n")

        let r = try f.executor.apply(s, options: options)

        #expect(!r.switched && r.generation == 1)
        #expect(try GenerationStore(state: f.state).load(1).cron == Generation.Cron(target: "file:/etc/cron.d/overlay", jobs: jobs))
    }

    @Test func onlyAChangedRecordNeedsANewGeneration() throws {
        let f = try RuntimeFixture()
        defer { f.cleanup() }
        let options = ApplyOptions(lockTimeout: 5, crontabTarget: "user")
        _ = try f.executor.apply(state(f, jobs: jobs), options: options)

        let same = try f.executor.apply(state(f, jobs: jobs), options: options)
        let otherTarget = try f.executor.apply(state(f, jobs: jobs), options: ApplyOptions(dryRun: true, crontabTarget: "file:/x"))
        let fewerJobs = try f.executor.apply(state(f, jobs: [jobs[0]]), options: options)

        #expect(!same.switched && same.generation == 1)
        #expect(otherTarget.plan.needsGeneration)
        #expect(fewerJobs.switched && fewerJobs.generation == 2 && fewerJobs.plan.changeCount == 0)
    }
}

import Foundation
import OverlayCore
import OverlayEngine
import OverlayRuntime
import Testing

/// Apply and rollback through the engine's entry points, as pull, serve and the deadman call them.
@Suite struct EngineApplyTests {
    @Test func applyMakesTheHostsGoldenStateLiveAndRecordsTheInjectedTime() throws {
        let fleet = try EngineFleet(hosts: 2)
        defer { fleet.cleanup() }
        let engine = fleet.engine
        let target = try engine.load(.repo(fleet.source), host: "h0002")
        #expect(target.state.host == "h0002")
        #expect(target.stateDir == fleet.state("h0002"))
        let result = try engine.apply(target, options: ApplyOptions())
        #expect(result.ok && result.changed && result.report.switched)
        #expect(result.liveGeneration == 1)
        #expect(fleet.read("h0002") == "version: 1\n")
        #expect(fleet.read("h0001") == nil, "only the requested host is applied")
        // The handler ran, and the crontab block holds the host's job.
        #expect(fleet.read("h0002", "handler.log") == "changed\n")
        let crontab = try String(contentsOfFile: fleet.crontab("h0002"), encoding: .utf8)
        #expect(crontab.contains("echo h0002"))
        // The generation's time is the engine's clock, not the machine's.
        let generation = try GenerationStore(state: target.stateDir).load(1)
        #expect(generation.time.hasPrefix("2027-01-15"))

        let again = try engine.apply(try engine.load(.repo(fleet.source), host: "h0002"), options: ApplyOptions())
        #expect(!again.changed && !again.report.switched && again.liveGeneration == 1)
    }

    @Test func rollbackRestoresTheFilesCronJobsAndRunsHandlers() throws {
        let fleet = try EngineFleet(hosts: 1)
        defer { fleet.cleanup() }
        let engine = fleet.engine
        _ = try engine.apply(try engine.load(.repo(fleet.source), host: "h0001"), options: ApplyOptions())
        try fleet.write("agent.yaml", "version: 2\n")
        try fleet.write(
            "cron/definitions.yaml", "jobs:\n  - name: report\n    schedule: \"@daily\"\n    command: \"echo report\"\n")
        _ = try engine.apply(try engine.load(.repo(fleet.source), host: "h0001"), options: ApplyOptions())
        #expect(fleet.read("h0001") == "version: 2\n")

        let rolled = try engine.rollback(stateDir: fleet.state("h0001"), to: nil, options: ApplyOptions())
        #expect(rolled.ok && rolled.report.generation == 1 && rolled.report.switched)
        #expect(fleet.read("h0001") == "version: 1\n")
        let crontab = try String(contentsOfFile: fleet.crontab("h0001"), encoding: .utf8)
        #expect(crontab.contains("echo h0001") && !crontab.contains("echo report"), "generation 1's cron job is back")
        #expect(fleet.read("h0001", "handler.log") == "changed\nchanged\nchanged\n", "each switch ran the handler")
    }

    @Test func sourceErrorsAreTyped() throws {
        let fleet = try EngineFleet(hosts: 2)
        defer { fleet.cleanup() }
        let engine = fleet.engine
        #expect {
            try engine.load(.repo(fleet.source), host: "h0009")
        } throws: { error in
            guard case SourceError.unknownHost("h0009", let suggestion, let hosts) = error else { return false }
            return suggestion != nil && hosts == ["h0001", "h0002"]
        }
        #expect {
            try engine.load(.repo(fleet.source), host: nil)
        } throws: { error in
            guard case SourceError.cannotTellHost("engine-test-machine", let candidates) = error else { return false }
            return candidates == ["h0001", "h0002"]
        }
        #expect {
            try engine.load(.bundle("-"), host: "h0001")
        } throws: { error in
            guard case SourceError.bundleWithHost("h0001") = error else { return false }
            return true
        }
        try fleet.write("cron/definitions.yaml", "jobs:\n  - name: bad\n    schedule: \"61 * * * *\"\n    command: x\n")
        #expect {
            try engine.load(.repo(fleet.source), host: "h0001")
        } throws: { error in
            guard case SourceError.rejected(_, let diagnostics) = error else { return false }
            return diagnostics.contains { $0.rule == "cron.range" && $0.file == "cron/definitions.yaml" && $0.line == 3 && $0.column == 16 }
        }
        #expect(!FileManager.default.fileExists(atPath: fleet.home("h0001")), "a rejected repo changes nothing")
    }

    @Test func aHeldLockIsALockTimeoutAndChangesNothing() throws {
        let fleet = try EngineFleet(hosts: 1)
        defer { fleet.cleanup() }
        let engine = fleet.engine
        let target = try engine.load(.repo(fleet.source), host: "h0001")
        try FileManager.default.createDirectory(atPath: target.stateDir.path, withIntermediateDirectories: true)
        let held = try StateLock.acquire(target.stateDir, timeout: 1)
        defer { held.release() }
        #expect {
            try engine.apply(target, options: ApplyOptions(lockTimeout: 0.2))
        } throws: { error in
            (error as? HostApplyError)?.isLockTimeout == true
        }
        #expect(fleet.read("h0001") == nil)
    }

    @Test func stateLookupWithoutAHostFallsBackAndSaysSo() throws {
        let fleet = try EngineFleet(hosts: 2)
        defer { fleet.cleanup() }
        let lookup = try fleet.engine.stateDirectory(source: fleet.source, host: nil)
        #expect(lookup.stateDir.path == fleet.root.path + "/state/default")
        #expect(lookup.notice?.contains("pass --host NAME") == true)
        let named = try fleet.engine.stateDirectory(source: fleet.source, host: "h0002")
        #expect(named.stateDir == fleet.state("h0002") && named.notice == nil)
    }
}

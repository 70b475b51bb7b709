import Foundation
import OverlayCore
import OverlayEngine
import OverlayRuntime
import Testing

/// The agent-jobs step through the engine's entry points, without the harness: what apply,
/// its dry run, rollback and a bundle do with the declared jobs.
@Suite struct EngineAgentJobsTests {
    func names(_ fleet: AgentJobsFleet) throws -> [String] { try fleet.jobs().compactMap { $0["name"] as? String } }

    @Test func aDryRunReportsTheJobsAndWritesNothing() throws {
        let fleet = try AgentJobsFleet()
        defer { fleet.cleanup() }
        let dry = try fleet.apply(dryRun: true)
        #expect(dry.agentJobs?.dryRun == true && dry.agentJobs?.change?.names(.added) == ["daily-report", "disk-report"])
        #expect(dry.changed)
        #expect(!FileManager.default.fileExists(atPath: fleet.jobsFile(fleet.host)))
    }

    @Test func rollbackPutsThePreviousDeclaredSetBackKeepingRunTimeFields() throws {
        let fleet = try AgentJobsFleet()
        defer { fleet.cleanup() }
        #expect(try fleet.apply().report.generation == 1)
        // The harness ran the report: its run-time fields must survive both switches.
        let path = fleet.jobsFile(fleet.host)
        var text = try String(contentsOfFile: path, encoding: .utf8)
        text = text.replacingOccurrences(of: "\"last_run_at\": null", with: "\"last_run_at\": \"2027-01-15T08:00:03+00:00\"")
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        try fleet.fleet.write(
            "cron/agent-jobs.yaml",
            AgentJobsFleet.defaultJobs.replacingOccurrences(of: "disk-report", with: "disk-check")
                .replacingOccurrences(of: "script: disk-check.sh", with: "script: disk-report.sh"))
        try fleet.fleet.write("agent.yaml", "version: 2\n")
        let second = try fleet.apply()
        #expect(second.report.generation == 2)
        #expect(second.agentJobs?.change?.names(.removed) == ["disk-report"] && second.agentJobs?.change?.names(.added) == ["disk-check"])
        let rolled = try fleet.fleet.engine.rollback(stateDir: fleet.fleet.state(fleet.host), to: nil, options: ApplyOptions())
        #expect(rolled.ok && rolled.report.generation == 1)
        #expect(rolled.agentJobs?.change?.names(.added) == ["disk-report"] && rolled.agentJobs?.change?.names(.removed) == ["disk-check"])
        #expect(try names(fleet) == ["daily-report", "disk-report"])
        #expect(try fleet.job(named: "daily-report")?["last_run_at"] as? String == "2027-01-15T08:00:03+00:00")
    }

    @Test func aCorruptJobsFileRefusesTheApplyBeforeAnythingChanges() throws {
        let fleet = try AgentJobsFleet()
        defer { fleet.cleanup() }
        try FileManager.default.createDirectory(atPath: fleet.hermesHome(fleet.host) + "/cron", withIntermediateDirectories: true)
        try Data("[{\"id\": \"x\"}]".utf8).write(to: URL(fileURLWithPath: fleet.jobsFile(fleet.host)))
        #expect {
            _ = try fleet.apply()
        } throws: { error in
            guard let error = error as? HostApplyError, case .agentJobs = error else { return false }
            return error.description.contains("bare list") && error.description.contains("the apply changed nothing")
        }
        #expect(fleet.fleet.read(fleet.host) == nil, "no file was switched")
        #expect(GenerationStore(state: fleet.fleet.state(fleet.host)).currentNumber() == nil)
    }

    @Test func droppingAgentJobsFromTheGoldenStateRemovesOverlaysJobsOnly() throws {
        let fleet = try AgentJobsFleet()
        defer { fleet.cleanup() }
        _ = try fleet.apply()
        let path = fleet.jobsFile(fleet.host)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        try text.replacingOccurrences(of: "\"jobs\": [", with: "\"jobs\": [\n    {\"id\": \"aaaaaaaaaaaa\", \"name\": \"hand\"},")
            .write(toFile: path, atomically: true, encoding: .utf8)
        try fleet.writeSite(agentJobs: false)
        let result = try fleet.apply()
        #expect(result.ok && result.agentJobs?.change?.names(.removed) == ["daily-report", "disk-report"])
        #expect(try names(fleet) == ["hand"])
        // Nothing declared, nothing of overlay's left: the next apply has no agent-jobs step.
        try fleet.fleet.write("agent.yaml", "version: 3\n")
        #expect(try fleet.apply().agentJobs == nil)
    }

    @Test func aBundleCarriesTheAgentJobs() throws {
        let fleet = try AgentJobsFleet()
        defer { fleet.cleanup() }
        let target = try fleet.fleet.engine.load(.repo(fleet.fleet.source), host: fleet.host)
        let jobs = try #require(target.state.agentJobs)
        #expect(jobs.home == fleet.hermesHome(fleet.host) && jobs.timezone == "UTC")
        #expect(jobs.jobs.first?.prompt == "Summarise yesterday's work on h0001.")
        let decoded = try RenderedBundle.decode(RenderedBundle.encode(target.state)).state
        #expect(decoded.agentJobs == jobs)
    }
}

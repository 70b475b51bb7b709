import Foundation
import OverlayCore
import OverlayEngine
import OverlayRuntime
import Testing

/// Converge of local hosts through the engine's entry points.
@Suite struct EngineConvergeTests {
    @Test func convergeAppliesEveryHostAndASecondRunChangesNothing() throws {
        let fleet = try EngineFleet(hosts: 3)
        defer { fleet.cleanup() }
        let engine = fleet.engine
        let plan = try engine.planConverge(fleet.source, limit: nil)
        #expect(plan.repoErrors.isEmpty && plan.hosts == ["h0001", "h0002", "h0003"])
        let first = try engine.converge(plan, options: ConvergeOptions(forks: 2))
        #expect(first.map(\.status) == [.changed, .changed, .changed])
        #expect(first.allSatisfy { $0.generation == 1 })
        for i in 1...3 { #expect(fleet.read(fleet.host(i)) == "version: 1\n") }

        let second = try engine.converge(try engine.planConverge(fleet.source, limit: nil), options: ConvergeOptions())
        #expect(second.map(\.status) == [.ok, .ok, .ok])
    }

    @Test func aHostsOwnBannedProviderFailsThatHostAlone() throws {
        let fleet = try EngineFleet(hosts: 3)
        defer { fleet.cleanup() }
        try fleet.writeInventory(count: 3, extra: ["h0002": "      golden_state_providers: [custom, anthropic]\n"])
        let engine = fleet.engine
        let plan = try engine.planConverge(fleet.source, limit: nil)
        #expect(plan.repoErrors.isEmpty)
        #expect(plan.hostErrors.keys.sorted() == ["h0002"])
        #expect(plan.hostErrors["h0002"]?.first?.rule == "policy.banned-provider")
        let outcomes = try engine.converge(plan, options: ConvergeOptions())
        #expect(outcomes.map(\.status) == [.changed, .failed, .changed])
        #expect(outcomes[1].error?.contains("banned provider 'anthropic'") == true)
        #expect(fleet.read("h0002") == nil, "the failed host was not touched")
    }

    @Test func aRepoWideErrorStopsBeforeAnyHost() throws {
        let fleet = try EngineFleet(hosts: 2)
        defer { fleet.cleanup() }
        try fleet.write("config.yaml", "model:\n  default: local-model\n  provider: anthropic\n")
        let plan = try fleet.engine.planConverge(fleet.source, limit: nil)
        #expect(plan.repoErrors.contains { $0.rule == "policy.banned-provider" && $0.file == "config.yaml" })
        #expect(plan.hostErrors.isEmpty)
    }

    @Test func checkChangesNothingAndLimitSelects() throws {
        let fleet = try EngineFleet(hosts: 3)
        defer { fleet.cleanup() }
        let plan = try fleet.engine.planConverge(fleet.source, limit: "h0003")
        #expect(plan.hosts == ["h0003"])
        let outcomes = try fleet.engine.converge(plan, options: ConvergeOptions(check: true))
        #expect(outcomes.map(\.status) == [.changed])
        #expect(!FileManager.default.fileExists(atPath: fleet.home("h0003")))
        #expect {
            try fleet.engine.planConverge(fleet.source, limit: "nothing-*")
        } throws: { error in
            guard case SourceError.limitMatchesNothing("nothing-*", let targets) = error else { return false }
            return targets.count == 3
        }
    }

    @Test func limitOnAThousandHostsRendersOnlyTheSelectedHost() throws {
        let fleet = try EngineFleet(hosts: 1000)
        defer { fleet.cleanup() }
        let engine = fleet.engine
        let started = ContinuousClock.now
        let plan = try engine.planConverge(fleet.source, limit: "h0507")
        let outcomes = try engine.converge(plan, options: ConvergeOptions(check: true))
        let elapsed = ContinuousClock.now - started
        #expect(outcomes.map(\.host) == ["h0507"] && outcomes[0].status == .changed)
        // One render to validate the host, one to apply it: none for the other 999.
        #expect(plan.context.renders.count == 2)
        #expect(elapsed < .seconds(20), "took \(elapsed)")
    }
}

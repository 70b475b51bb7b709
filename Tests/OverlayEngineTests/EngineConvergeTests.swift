import Foundation
import OverlayCore
@testable import OverlayEngine
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

    /// A --limit that matches nothing names the nearest host and lists a long fleet short:
    /// 1,000 hosts made a one-line error of 7,000 characters.
    @Test func aLimitThatMatchesNothingIsShortAndSuggestsTheNearestHost() throws {
        let fleet = try EngineFleet(hosts: 30)
        defer { fleet.cleanup() }
        #expect {
            try fleet.engine.planConverge(fleet.source, limit: "h00077")
        } throws: { error in
            let message = (error as? SourceError)?.description ?? ""
            return message.contains("did you mean 'h0007'?") && message.contains("h0020, … (10 more)")
                && !message.contains("h0021") && message.count < 400
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
        // One render, to apply it (validation leaves rendering to the converge): none for the other 999.
        #expect(plan.context.renders.count == 1)
        #expect(elapsed < .seconds(20), "took \(elapsed)")
    }
}

/// Rolling updates and conflicting hosts.
@Suite struct EngineRollingUpdateTests {
    @Test func batchesFollowSerialAndAFailingBatchStopsTheRest() throws {
        let fleet = try EngineFleet(hosts: 20)
        defer { fleet.cleanup() }
        let engine = fleet.engine
        let growing = try engine.converge(
            try engine.planConverge(fleet.source, limit: nil),
            options: ConvergeOptions(check: true, serial: try SerialBatches(parsing: "1,10%,50%")))
        let sizes = Dictionary(grouping: growing, by: \.batch).mapValues(\.count)
        #expect(sizes == [1: 1, 2: 2, 3: 10, 4: 7])
        #expect(growing.allSatisfy { $0.status == .changed })

        // Two of the five hosts of the first batch fail: over 20 %, so the rest never run.
        let banned = "      golden_state_providers: [anthropic]\n"
        try fleet.writeInventory(count: 20, extra: ["h0002": banned, "h0004": banned])
        let plan = try engine.planConverge(fleet.source, limit: nil)
        #expect(plan.repoErrors.isEmpty, "\(plan.repoErrors)")
        let stopped = try engine.converge(
            plan,
            options: ConvergeOptions(serial: try SerialBatches(parsing: "25%"), maxFailPercentage: 20))
        #expect(stopped.prefix(5).map(\.status) == [.changed, .failed, .changed, .failed, .changed])
        #expect(stopped.dropFirst(5).allSatisfy { $0.status == .skipped && $0.error?.contains("--max-fail-percentage 20%") == true })
        #expect(fleet.read("h0006") == nil, "a skipped host is not touched")
    }

    @Test func aBatchInWhichEveryHostFailedStopsTheRollingUpdate() throws {
        let fleet = try EngineFleet(hosts: 4)
        defer { fleet.cleanup() }
        try fleet.writeInventory(count: 4, extra: ["h0001": "      golden_state_providers: [anthropic]\n"])
        let outcomes = try fleet.engine.converge(
            try fleet.engine.planConverge(fleet.source, limit: nil), options: ConvergeOptions(serial: try SerialBatches(parsing: "1")))
        #expect(outcomes.map(\.status) == [.failed, .skipped, .skipped, .skipped])
        #expect(outcomes[1].error?.contains("every host of the previous batch failed") == true)
    }

    /// The overlap check looks a home up by its ancestors; they are exactly the folders
    /// `HomePath.isInside` counts it in.
    @Test func theAncestorsLookedUpAreExactlyTheFoldersAHomeIsInside() {
        let paths = ["/", "/a", "/a/", "/a/b", "/a/b/", "/ab", "/a/bc", "~", "~/x", "/srv/wizards/w1", "/srv/wizards/w10", "a/b", "//a"]
        for path in paths {
            let found = Set(FleetConflicts.containing(path))
            for dir in paths { #expect(found.contains(dir) == HomePath.isInside(path, dir), "\(path) in \(dir)") }
        }
    }

    @Test func hostsWhoseHomesOverlapAreRefusedBeforeAnyRuns() throws {
        let fleet = try EngineFleet(hosts: 3)
        defer { fleet.cleanup() }
        // h0002's home is inside h0001's; h0003 is on its own.
        try fleet.writeInventory(count: 3, extra: ["h0002": "      overlay_home: \"\(fleet.home("h0001"))/nested\"\n"])
        let plan = try fleet.engine.planConverge(fleet.source, limit: nil)
        #expect(plan.repoErrors.isEmpty, "\(plan.repoErrors)")
        let outcomes = try fleet.engine.converge(plan, options: ConvergeOptions())
        #expect(outcomes.map(\.status) == [.failed, .failed, .changed])
        #expect(outcomes[0].error?.contains("is inside host h0001's home") == true)
        #expect(fleet.read("h0001") == nil && fleet.read("h0002") == nil)
    }
}

/// A converge renders each host once (validation renders none), so that render must refuse
/// everything validation's render would: a host var that breaks the policy or the output's
/// syntax fails that host, never reaches its home, and the message blames the right thing.
@Suite struct ConvergeRenderChecksTests {
    /// The golden state gains `endpoint.yaml`, a template of host vars (`with_secret`: it also
    /// holds a secret reference, so the secret-resolving path is the one taken).
    func fleet(withSecret: Bool) throws -> EngineFleet {
        let fleet = try EngineFleet(hosts: 3)
        let secret = withSecret ? "api_key: \"${secret:MODEL_API_KEY}\"\n" : ""
        try fleet.write("endpoint.yaml", "base_url: \"{{ endpoint }}\"\nprovider: {{ p1 }}{{ p2 }}\nnote: {{ note }}\n" + secret)
        var site = try String(contentsOf: fleet.repo.appendingPathComponent("playbooks/site.yaml"), encoding: .utf8)
        site = site.replacingOccurrences(
            of: "  - {src: agent.yaml, dest: \"{{ agent_home }}/agent.yaml\"}\n",
            with: "  - {src: agent.yaml, dest: \"{{ agent_home }}/agent.yaml\"}\n  - {template: endpoint.yaml, dest: \"{{ agent_home }}/endpoint.yaml\"}\n")
        try fleet.write("playbooks/site.yaml", site)
        try FileManager.default.createDirectory(atPath: fleet.root.path + "/secrets", withIntermediateDirectories: true)
        try "k-123\n".write(toFile: fleet.root.path + "/secrets/MODEL_API_KEY", atomically: true, encoding: .utf8)
        return fleet
    }

    static let fine = "      endpoint: \"http://127.0.0.1:8080/v1\"\n      p1: llama\n      p2: cpp\n      note: fine\n"

    @Test(arguments: [false, true])
    func aHostVarThatBreaksThePolicyOrTheSyntaxFailsThatHostAlone(withSecret: Bool) throws {
        let fleet = try fleet(withSecret: withSecret)
        defer { fleet.cleanup() }
        let remote = Self.fine.replacingOccurrences(of: "http://127.0.0.1:8080/v1", with: "https://api.example.com/v1")
        let banned = Self.fine.replacingOccurrences(of: "p1: llama\n      p2: cpp", with: "p1: anthro\n      p2: pic")
        let broken = Self.fine.replacingOccurrences(of: "note: fine", with: "note: \"a: b: c\"")
        try fleet.writeInventory(count: 4, extra: ["h0001": Self.fine, "h0002": remote, "h0003": banned, "h0004": broken])
        let outcomes = try fleet.engine.converge(try fleet.engine.planConverge(fleet.source, limit: nil), options: ConvergeOptions())
        #expect(outcomes.map(\.status) == [.changed, .failed, .failed, .failed], "\(outcomes.map { $0.error ?? "-" })")
        #expect(outcomes[1].error?.contains("policy.remote-base-url") == true, "\(outcomes[1].error ?? "")")
        #expect(outcomes[2].error?.contains("policy.banned-provider") == true, "\(outcomes[2].error ?? "")")
        #expect(outcomes[3].error?.contains("playbook.template-output") == true, "\(outcomes[3].error ?? "")")
        // The secret is not blamed for a break the host var made.
        #expect(outcomes[3].error?.contains("secret value needs quoting") == false, "\(outcomes[3].error ?? "")")
        for host in ["h0002", "h0003", "h0004"] { #expect(fleet.read(host, "endpoint.yaml") == nil, "\(host) was not touched") }
        #expect(fleet.read("h0001", "endpoint.yaml")?.contains("127.0.0.1") == true)
    }
}

/// Two spellings of one folder are one home: `..`, `.`, `//` and a symlink to it.
@Suite struct ConvergeHomeSpellingTests {
    @Test(arguments: ["h0002/../h0001", "./h0001", "/h0001", "h0002/../h0001/sub", "-link"])
    func aHomeSpelledDifferentlyIsStillTheSameHome(spelling: String) throws {
        let fleet = try EngineFleet(hosts: 2)
        defer { fleet.cleanup() }
        let first = fleet.home("h0001")
        try FileManager.default.createDirectory(atPath: first, withIntermediateDirectories: true)
        let other: String
        if spelling == "-link" {
            other = fleet.root.path + "/homes/link"
            try FileManager.default.createSymbolicLink(atPath: other, withDestinationPath: first)
        } else {
            other = fleet.root.path + "/homes/" + spelling
        }
        try fleet.writeInventory(count: 2, extra: ["h0002": "      overlay_home: \"\(other)\"\n      agent_home: \"\(other)\"\n"])
        let outcomes = try fleet.engine.converge(try fleet.engine.planConverge(fleet.source, limit: nil), options: ConvergeOptions())
        #expect(outcomes.map(\.status) == [.failed, .failed], "\(outcomes.map { $0.error ?? "-" })")
        #expect(outcomes.allSatisfy { $0.error?.contains("their files would mix") == true })
        #expect(fleet.read("h0001") == nil)
    }
}

import Foundation
import Testing

/// `overlay converge` of 200 local hosts of the example repo (issue 13): what the process holds
/// stays bounded by `--forks`, a second run changes nothing, and a crontab file shared by every
/// host is written once per converge, not once per host.
@Suite(.serialized) struct ConvergeScaleTests {
    static let hostCount = 200

    /// 200 hosts: timmy and ezra (the example's host_vars name them), then w3…w200, each with
    /// its own home and state dir; `sharedCrontab` puts every host's block into that one file.
    func writeFleet(_ fleet: ConvergeFleet, sharedCrontab: String? = nil) throws {
        let names = ["timmy", "ezra"] + (3...Self.hostCount).map { "w\($0)" }
        try fleet.writeInventory(
            names.map { name in
                var extra = ["wizard_name": name]
                if let sharedCrontab { extra["overlay_crontab"] = fleet.quoted("file:" + sharedCrontab) }
                return (name, fleet.sandboxVars(name, extra))
            })
    }

    func converge(_ fleet: ConvergeFleet, forks: Int) throws -> SampledRun {
        try runOverlaySampled(
            ["converge", "--root", PackagePaths.root.path, "-i", fleet.inventory, "--forks", "\(forks)", "--format", "json"],
            env: fleet.env)
    }

    func statuses(_ run: SampledRun) -> [String: Int] {
        let hosts = run.result.json["hosts"] as? [String: [String: Any]] ?? [:]
        return hosts.values.reduce(into: [:]) { counts, host in counts[host["status"] as? String ?? "?", default: 0] += 1 }
    }

    @Test func descriptorsAndThreadsStayBoundedByForks() throws {
        let fleet = try ConvergeFleet()
        defer { fleet.cleanup() }
        try writeFleet(fleet)
        let forks = 4
        // A constant for the process itself (stdio, the dispatch pool, validation on both
        // cores) and a few per fork (a host's state lock, generation folder, crontab lock,
        // a handler's pipes). Measured: 19 descriptors and 8 threads at 4 forks; one
        // descriptor or thread per host would be 200.
        let descriptorBound = 16 + 4 * forks
        let threadBound = 8 + 2 * forks
        let first = try converge(fleet, forks: forks)
        #expect(first.result.status == 0, "\(first.result.stderr)")
        #expect(statuses(first) == ["changed": Self.hostCount], "\(statuses(first))")
        let again = try converge(fleet, forks: forks)
        #expect(again.result.status == 0, "\(again.result.stderr)")
        #expect(statuses(again) == ["ok": Self.hostCount], "the second converge changed something: \(statuses(again))")
        #expect(fleet.liveGeneration("w200") == "generations/1" && fleet.liveGeneration("timmy") == "generations/1")
        for (name, run) in [("first", first), ("no-op", again)] {
            let p = run.peaks
            print(
                "ConvergeScaleTests: \(Self.hostCount) hosts, --forks \(forks), \(name) converge: \(String(format: "%.2f", run.seconds)) s, "
                    + "at most \(p.descriptors) descriptors, \(p.threads) threads, \(p.residentKiB / 1024) MiB resident (\(p.samples) samples)"
            )
            #expect(p.samples >= 5, "the \(name) converge ended before it could be sampled")
            #expect(p.descriptors <= descriptorBound, "\(name) converge held \(p.descriptors) descriptors (bound \(descriptorBound))")
            #expect(p.threads <= threadBound, "\(name) converge ran \(p.threads) threads (bound \(threadBound))")
            #expect(p.residentKiB < 512 * 1024, "\(name) converge grew to \(p.residentKiB / 1024) MiB")
        }
    }

    @Test func aSharedCrontabIsWrittenOncePerConvergeAndItsNoOpIsNotQuadratic() throws {
        let shared = try ConvergeFleet()
        defer { shared.cleanup() }
        let crontabFolder = shared.root.path + "/shared-cron"
        try FileManager.default.createDirectory(atPath: crontabFolder, withIntermediateDirectories: true)
        let crontab = crontabFolder + "/crontab"
        try writeFleet(shared, sharedCrontab: crontab)
        let writes = try FileWriteCounter(path: crontab)

        let first = try converge(shared, forks: 5)
        #expect(first.result.status == 0, "\(first.result.stderr)")
        #expect(statuses(first) == ["changed": Self.hostCount], "\(statuses(first))")
        let firstWrites = writes.take()
        let text = try String(contentsOfFile: crontab, encoding: .utf8)
        let blocks = text.split(separator: "\n").filter { $0.hasPrefix("# >>> overlay managed: host=") }.count
        #expect(blocks == Self.hostCount, "one managed block per host in the shared crontab")
        // Each block holds its host's own jobs: w137's deadman check runs against w137's state dir.
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let w137 = lines.drop { !$0.hasPrefix("# >>> overlay managed: host=w137 ") }.prefix {
            !$0.hasPrefix("# <<< overlay managed: host=w137 ")
        }
        let check = w137.firstIndex(of: "# overlay job: overlay-deadman").map { w137[w137.index(after: $0)] }
        #expect(check?.contains("deadman check") == true && check?.contains("/w137") == true, "w137's deadman line: \(check ?? "none")")
        #expect(!w137.contains { $0.contains("/w138") }, "w138's paths in w137's block")

        let before = FileStamp(crontab)
        let noop = try converge(shared, forks: 5)
        #expect(noop.result.status == 0, "\(noop.result.stderr)")
        #expect(statuses(noop) == ["ok": Self.hostCount], "\(statuses(noop))")
        let noopWrites = writes.take()
        #expect(noopWrites == 0, "a no-op converge rewrote the shared crontab")
        #expect(before != nil && FileStamp(crontab) == before, "a no-op converge replaced the shared crontab")

        // The same fleet with a crontab file each: the no-op to compare with.
        let own = try ConvergeFleet()
        defer { own.cleanup() }
        try writeFleet(own)
        #expect(try converge(own, forks: 5).result.status == 0)
        let ownNoop = try converge(own, forks: 5)
        #expect(ownNoop.result.status == 0 && statuses(ownNoop) == ["ok": Self.hostCount])

        let factor = noop.seconds / max(ownNoop.seconds, 0.001)
        print(
            "ConvergeScaleTests: \(Self.hostCount) hosts sharing one crontab: the first converge wrote it "
                + "\(firstWrites.map(String.init) ?? "(inotify queue overflowed)") times, the no-op \(noopWrites.map(String.init) ?? "?") times; "
                + "no-op \(String(format: "%.2f", noop.seconds)) s against \(String(format: "%.2f", ownNoop.seconds)) s with a crontab each "
                + "(\(String(format: "%.1f", factor))×); first converge \(String(format: "%.2f", first.seconds)) s")
        // The shared crontab is installed once per batch (all blocks, one lock, one write): not
        // read, parsed and rewritten once per host.
        #expect(firstWrites != nil && (firstWrites ?? .max) <= 1, "the first converge wrote the shared crontab \(firstWrites ?? -1) times")
        #expect(factor <= 3, "the no-op with a shared crontab took \(String(format: "%.1f", factor))× the one with a crontab each")
    }
}

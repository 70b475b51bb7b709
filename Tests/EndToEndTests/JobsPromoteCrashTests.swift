import Foundation
import Testing

/// A promote killed with SIGKILL at any instant leaves either the old or the new version live,
/// each complete, never a mix.
@Suite struct JobsPromoteCrashTests {
    static let files = 400

    @Test func aPromoteKilledAtRandomInstantsLeavesOneCompleteVersionLive() throws {
        let repo = try JobsRepo(playbook: "name: test\njobs:\n  promote: {promote: {from: candidate, to: registry/current}}\n")
        defer { repo.remove() }
        var rng = SystemRandomNumberGenerator()
        var written: Set<String> = []
        var kills = 0
        for round in 0..<8 {
            let marker = "candidate-\(round)"
            try writeCandidate(repo, marker)
            written.insert(marker)
            let runner = try repo.start()
            usleep(UInt32.random(in: 50_000...500_000, using: &rng))
            if runner.isRunning {
                kill(runner.processIdentifier, SIGKILL)
                kills += 1
            }
            runner.waitUntilExit()
            if let live = try liveMarker(repo) {
                #expect(written.contains(live), "round \(round): live version holds \(live)")
            }
        }
        #expect(kills > 0, "no run was killed: the test exercised nothing")
        try writeCandidate(repo, "final")
        let last = try repo.jobs(["run", "playbooks/test.yaml"])
        #expect(last.status == 0, "\(last.stderr)")
        #expect(try liveMarker(repo) == "final")
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: repo.workdir + "/registry/current.versions")
            .filter { $0.hasPrefix(".staging") }
        #expect(leftovers.isEmpty, "a promote cleans up the staging folders of killed ones: \(leftovers)")
    }

    func writeCandidate(_ repo: JobsRepo, _ marker: String) throws {
        let dir = repo.workdir + "/candidate"
        try? FileManager.default.removeItem(atPath: dir)
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        for i in 0..<Self.files {
            try Data((marker + "\n" + String(repeating: "x", count: 512)).utf8).write(to: URL(fileURLWithPath: dir + "/part-\(i)"))
        }
    }

    /// The marker every file of the live version holds; fails when the version is incomplete or mixed.
    func liveMarker(_ repo: JobsRepo) throws -> String? {
        let current = repo.workdir + "/registry/current"
        guard (try? FileManager.default.destinationOfSymbolicLink(atPath: current)) != nil else { return nil }
        let names = try FileManager.default.contentsOfDirectory(atPath: current)
        #expect(names.count == Self.files, "the live version has \(names.count) of \(Self.files) files")
        let markers = Set(
            names.compactMap { name in
                (try? String(contentsOfFile: current + "/" + name, encoding: .utf8))?.split(separator: "\n").first.map(String.init)
            })
        #expect(markers.count == 1, "the live version mixes candidates: \(markers)")
        return markers.first
    }
}

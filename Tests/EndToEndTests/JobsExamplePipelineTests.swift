import Foundation
import Testing

/// The example repo's `playbooks/training.yaml`, run by the built binary on the fixture
/// sessions: the first candidate is promoted, the same data again is not, better data is,
/// and a worse candidate is rejected with `registry/current` unchanged.
@Suite struct JobsExamplePipelineTests {
    let fixtures = PackagePaths.root.appendingPathComponent("playbooks/training/fixtures")

    @Test func theTrainingPipelinePromotesOnlyWhatTheGateLetsThrough() throws {
        let sandbox = try makeTempDir("overlay-training")
        defer { try? FileManager.default.removeItem(at: sandbox) }
        let exports = sandbox.appendingPathComponent("home/fleet/session-exports")
        try FileManager.default.createDirectory(at: exports, withIntermediateDirectories: true)
        let env = ["HOME": sandbox.path + "/home", "OVERLAY_STATE_DIR": sandbox.path + "/state"]
        let registry = sandbox.path + "/state/jobs/workspaces/training/registry"
        func add(_ folder: String) throws {
            for name in try FileManager.default.contentsOfDirectory(atPath: fixtures.path + "/" + folder) {
                try FileManager.default.copyItem(atPath: fixtures.path + "/\(folder)/\(name)", toPath: exports.path + "/" + name)
            }
        }
        func run() throws -> OverlayResult {
            try runOverlay(
                ["jobs", "run", "playbooks/training.yaml", "--host", "forge", "--root", PackagePaths.root.path, "--format", "json"],
                env: env,
                timeout: 300)
        }
        func live() throws -> String { try FileManager.default.destinationOfSymbolicLink(atPath: registry + "/current") }
        func gate(_ r: OverlayResult) -> [String: Any] { r.json["gate"] as? [String: Any] ?? [:] }

        try add("sessions")
        let first = try run()
        #expect(first.status == 0, "\(first.stderr)\n\(first.stdout)")
        #expect(gate(first)["verdict"] as? String == "accepted")
        #expect((first.json["promotion"] as? [String: Any])?["version"] as? Int == 1)
        #expect(try live() == "current.versions/1")
        let ingest = try runOverlay(["jobs", "log", "1", "ingest", "--host", "forge", "--root", PackagePaths.root.path], env: env)
        #expect(ingest.stdout.contains("3 sessions without id, 10 without consent"), "\(ingest.stdout)")

        let again = try run()
        #expect(again.status == 1, "the same data must not promote")
        #expect(gate(again)["verdict"] as? String == "rejected")
        #expect((gate(again)["reason"] as? String)?.contains("no metric improved") == true)
        #expect(again.json["promotion"] is NSNull)
        #expect(try live() == "current.versions/1")

        try add("more-sessions")
        let better = try run()
        #expect(better.status == 0, "\(better.stdout)")
        let candidate = (gate(better)["candidate"] as? [String: Any])?["accuracy"] as? Double ?? 0
        let baseline = (gate(better)["baseline"] as? [String: Any])?["accuracy"] as? Double ?? 1
        #expect(candidate > baseline, "\(gate(better))")
        #expect(try live() == "current.versions/2")

        try add("noisy-sessions")
        let worse = try run()
        #expect(worse.status == 1)
        #expect((gate(worse)["reason"] as? String)?.contains("worse than the baseline") == true, "\(gate(worse))")
        #expect(try live() == "current.versions/2", "a rejected candidate leaves registry/current as it was")

        // What a user reads afterwards: the status with the gate's numbers, the history.
        let status = try runOverlay(["jobs", "status", "3", "--host", "forge", "--root", PackagePaths.root.path], env: env)
        #expect(status.stdout.contains("gate 'gate' (pareto_dominant): accepted"), "\(status.stdout)")
        #expect(status.stdout.contains("accuracy") && status.stdout.contains("promoted version 2 of registry/current (was version 1)"))
        let history = try runOverlay(
            ["jobs", "history", "playbooks/training.yaml", "--host", "forge", "--root", PackagePaths.root.path], env: env)
        #expect(history.stdout.components(separatedBy: "promoted by run").count == 3, "\(history.stdout)")
        let back = try runOverlay(
            ["jobs", "rollback", "playbooks/training.yaml", "--host", "forge", "--root", PackagePaths.root.path], env: env)
        #expect(back.status == 0 && back.stdout.contains("to version 1 (was version 2)"), "\(back.stdout + back.stderr)")
        #expect(try live() == "current.versions/1")
    }
}

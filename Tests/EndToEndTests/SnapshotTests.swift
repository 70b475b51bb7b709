import Foundation
import Testing

/// The binary's output for the main scenarios, compared with the stored snapshots in
/// `Tests/Snapshots/` (text and JSON, paths and times normalised). A change to any output
/// shows in the diff of those files: run with `OVERLAY_UPDATE_SNAPSHOTS=1` to rewrite them
/// after an intended change, and review the diff.
@Suite struct SnapshotTests {
    static let folder = PackagePaths.root.appendingPathComponent("Tests/Snapshots")

    static var scenarios: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).filter { $0.hasSuffix(".txt") }.sorted()
    }

    @Test(arguments: scenarios)
    func scenario(_ file: String) throws {
        let path = Self.folder.appendingPathComponent(file).path
        let scenario = try Scenario(name: file, text: try String(contentsOfFile: path, encoding: .utf8))
        let sandbox = try makeTempDir("overlay-snapshot")
        defer { try? FileManager.default.removeItem(at: sandbox) }
        let repo = sandbox.appendingPathComponent("repo")
        if let base = scenario.base {
            try FileManager.default.copyItem(at: PackagePaths.root.appendingPathComponent(base), to: repo)
        } else {
            try FileManager.default.createDirectory(at: repo, withIntermediateDirectories: true)
        }
        for file in scenario.files {
            let url = repo.appendingPathComponent(file.path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(file.text.utf8).write(to: url)
        }
        let env = [
            "HOME": sandbox.path + "/home", "OVERLAY_STATE_DIR": sandbox.path + "/state",
            "OVERLAY_CRONTAB": "file:" + sandbox.path + "/crontab", "OVERLAY_SECRETS_DIR": sandbox.path + "/secrets",
            "OVERLAY_HOSTNAME": "snapshot-machine", "TZ": "UTC", "XDG_STATE_HOME": "",
        ]
        for words in scenario.setup {
            let r = try runOverlay(Array(words.dropFirst()), env: env, cwd: repo)
            #expect(r.status == 0, "setup '\(Scenario.joined(words))' failed: \(r.stderr)")
        }
        let result = try runOverlay(Array(scenario.command.dropFirst()), env: env, cwd: repo)
        let actual = [
            "stdout": SnapshotNormalizer.normalize(result.stdout, sandbox: sandbox.path),
            "stderr": SnapshotNormalizer.normalize(result.stderr, sandbox: sandbox.path),
            "exit": "\(result.status)\n",
        ]
        if ProcessInfo.processInfo.environment["OVERLAY_UPDATE_SNAPSHOTS"] == "1" {
            try scenario.rewritten(with: actual).write(toFile: path, atomically: true, encoding: .utf8)
            return
        }
        for key in Scenario.sectionOrder {
            #expect(
                actual[key] == scenario.expected[key] ?? "",
                "\(file): \(key) differs from the snapshot (OVERLAY_UPDATE_SNAPSHOTS=1 rewrites it after an intended change)")
        }
    }
}

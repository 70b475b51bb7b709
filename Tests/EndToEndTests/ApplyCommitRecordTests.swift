import Foundation
import Testing

/// The repo's commit is recorded with each generation, and working it out (`git status`,
/// for the `-dirty` marker) is paid only when a generation is built.
@Suite struct ApplyCommitRecordTests {
    @Test(.enabled(if: FileManager.default.fileExists(atPath: PackagePaths.root.path + "/.git")))
    func aNoOpApplyDoesNotRunGit() throws {
        let box = try ApplySandbox()
        defer { box.cleanup() }
        let args = ["apply", "--root", PackagePaths.root.path, "--host", "timmy"]
        // GIT_TRACE makes every git that overlay starts write to the named file.
        var env = try box.envWithSecret()
        env["GIT_TRACE"] = box.root.path + "/trace-first"
        let first = try runOverlay(args, env: env)
        #expect(first.status == 0, "\(first.stdout)\(first.stderr)")
        #expect(FileManager.default.fileExists(atPath: box.root.path + "/trace-first"), "the first apply describes the checkout")
        let gens = try runOverlay(["generations", "--format", "json"], env: box.env)
        let commit = (gens.json["generations"] as? [[String: Any]])?.first?["commit"] as? String
        #expect(commit.map { $0.count >= 40 } == true, "generation 1 records the commit: \(gens.stdout)")

        env["GIT_TRACE"] = box.root.path + "/trace-again"
        let again = try runOverlay(args, env: env)
        #expect(again.status == 0, "\(again.stdout)\(again.stderr)")
        #expect(!FileManager.default.fileExists(atPath: box.root.path + "/trace-again"), "a no-op apply ran git")
    }
}

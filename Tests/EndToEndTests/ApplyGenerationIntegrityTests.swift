import Foundation
import Testing

extension ApplySandbox {
    /// What root can do despite the read-only generation file: `echo TEXT >> ~/.hermes/REL`.
    func editThroughSymlink(_ rel: String, appending text: String) throws {
        let path = hermes + "/" + rel
        chmod(path, 0o644)  // follows the symlink; needed only when the tests do not run as root
        let handle = try #require(FileHandle(forWritingAtPath: path))
        handle.seekToEndOfFile()
        handle.write(Data(text.utf8))
        try handle.close()
    }

    func generationFile(_ n: Int, _ rel: String) -> String { state + "/generations/\(n)/files/hermes/" + rel }

    func contents(_ path: String) -> String? { try? String(contentsOfFile: path, encoding: .utf8) }

    var currentTarget: String? { try? FileManager.default.destinationOfSymbolicLink(atPath: state + "/current") }

    func change(_ r: OverlayResult, _ path: String) -> [String: Any]? {
        (r.json["changes"] as? [[String: Any]])?.first { $0["path"] as? String == path }
    }
}

/// Generations are rollback targets: an edit through a home's symlink must not end up in one.
@Suite struct ApplyGenerationIntegrityTests {
    @Test func editThroughTheSymlinkOfTheExampleRepoIsRepairedInGenerationOne() throws {
        let box = try ApplySandbox()
        defer { box.cleanup() }
        let env = try box.envWithSecret()
        let args = ["apply", "--root", PackagePaths.root.path, "--host", "timmy"]
        let first = try runOverlay(args, env: env)
        #expect(first.status == 0, "\(first.stdout)\(first.stderr)")
        let original = try #require(box.read("config.yaml"))
        let mode = try FileManager.default.attributesOfItem(atPath: box.generationFile(1, "config.yaml"))[.posixPermissions] as? Int
        #expect(mode.map { $0 & 0o222 } == 0, "generation files carry no write bits")

        try box.editThroughSymlink("config.yaml", appending: "x\n")
        #expect(box.contents(box.generationFile(1, "config.yaml")) == original + "x\n")
        let again = try runOverlay(args + ["--force"], env: env)
        #expect(again.status == 0, "\(again.stdout)\(again.stderr)")
        #expect(again.stdout.contains("restored   \(box.hermes)/config.yaml"))
        #expect(again.stdout.contains("generation 1's file was repaired in place"))
        #expect(box.contents(box.generationFile(1, "config.yaml")) == original)
        #expect(box.read("config.yaml") == original)
        let gens = try runOverlay(["generations", "--format", "json"], env: box.env)
        #expect((gens.json["generations"] as? [[String: Any]])?.count == 1)
        let back = try runOverlay(["rollback", "--to", "1"], env: box.env)
        #expect(back.status == 0, "\(back.stderr)")
        #expect(box.read("config.yaml") == original)
    }

    @Test func rollbackRefusesAnEditedGenerationAndForceOverrides() throws {
        let box = try ApplySandbox()
        defer { box.cleanup() }
        _ = try box.apply(try box.write(box.bundle([("config.yaml", "v1\n")])))
        try box.editThroughSymlink("config.yaml", appending: "x\n")
        let second = try box.apply(try box.write(box.bundle([("config.yaml", "v2\n")]), name: "b2.json"), ["--force"])
        #expect(second.status == 0 && box.read("config.yaml") == "v2\n")
        let refused = try runOverlay(["rollback"], env: box.env)
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("generation 1 was changed after it was built"), "\(refused.stderr)")
        #expect(refused.stderr.contains(box.hermes + "/config.yaml") && refused.stderr.contains("--force"))
        #expect(box.currentTarget == "generations/2")
        #expect(box.read("config.yaml") == "v2\n")
        let json = try runOverlay(["rollback", "--format", "json"], env: box.env)
        #expect(json.status == 1 && json.json["ok"] as? Bool == false && json.json["switched"] as? Bool == false)
        let forced = try runOverlay(["rollback", "--force"], env: box.env)
        #expect(forced.status == 0)
        #expect(box.currentTarget == "generations/1")
        #expect(box.read("config.yaml") == "v1\nx\n")
    }

    @Test func rollbackToARepairedGenerationRestoresWhatItWasBuiltWith() throws {
        let box = try ApplySandbox()
        defer { box.cleanup() }
        let v1 = try box.write(box.bundle([("config.yaml", "v1\n")]))
        _ = try box.apply(v1)
        try box.editThroughSymlink("config.yaml", appending: "x\n")
        let repaired = try box.apply(v1, ["--force", "--format", "json"])
        #expect(repaired.status == 0)
        #expect(box.change(repaired, box.hermes + "/config.yaml")?["action"] as? String == "restored")
        #expect(repaired.json["switched"] as? Bool == false && repaired.json["generation"] as? Int == 1)
        _ = try box.apply(try box.write(box.bundle([("config.yaml", "v2\n")]), name: "b2.json"))
        let back = try runOverlay(["rollback", "--format", "json"], env: box.env)
        #expect(back.status == 0, "\(back.stdout)\(back.stderr)")
        #expect(back.json["generation"] as? Int == 1)
        #expect((back.json["summary"] as? [String: Int])?["updated"] == 1)
        #expect(box.read("config.yaml") == "v1\n")
    }
}

/// A file dropped from the overlay gives the user's original back instead of deleting the path.
@Suite struct ApplyDroppedFileTests {
    @Test func droppedFileRestoresTheBackedUpOriginal() throws {
        let box = try ApplySandbox()
        defer { box.cleanup() }
        try "user: mine\n".write(toFile: box.hermes + "/config.yaml", atomically: true, encoding: .utf8)
        let first = try box.apply(
            try box.write(box.bundle([("config.yaml", "model: local\n"), ("a.txt", "a\n")])), ["--format", "json"])
        #expect(first.status == 0)
        #expect(box.change(first, box.hermes + "/config.yaml")?["action"] as? String == "backed-up")
        #expect(box.read("config.yaml") == "model: local\n")

        let b2 = try box.write(box.bundle([("a.txt", "a\n")]), name: "b2.json")
        let preview = try runOverlay(["diff", "--bundle", b2], env: box.env)
        #expect(preview.stdout.contains("restored-backup \(box.hermes)/config.yaml"), "\(preview.stdout)")
        #expect(box.read("config.yaml") == "model: local\n")
        let dropped = try box.apply(b2, ["--format", "json", "--diff"])
        #expect(dropped.status == 0, "\(dropped.stdout)\(dropped.stderr)")
        let change = try #require(box.change(dropped, box.hermes + "/config.yaml"))
        #expect(change["action"] as? String == "restored-backup")
        #expect((change["diff"] as? String)?.contains("-model: local\n+user: mine\n") == true)
        #expect((dropped.json["summary"] as? [String: Int])?["deleted"] == 1)
        #expect((try? FileManager.default.destinationOfSymbolicLink(atPath: box.hermes + "/config.yaml")) == nil)
        #expect(box.read("config.yaml") == "user: mine\n")

        let status = try runOverlay(["status", "--format", "json"], env: box.env)
        #expect(status.status == 0, "\(status.stdout)")
        let third = try box.apply(try box.write(box.bundle([("a.txt", "a\n")]), name: "b3.json"), ["--format", "json"])
        #expect(third.json["switched"] as? Bool == false && box.read("config.yaml") == "user: mine\n")
    }

    @Test func droppedFileWithoutAnOriginalIsDeletedAsBefore() throws {
        let box = try ApplySandbox()
        defer { box.cleanup() }
        _ = try box.apply(try box.write(box.bundle([("config.yaml", "model: local\n"), ("a.txt", "a\n")])))
        let r = try box.apply(try box.write(box.bundle([("a.txt", "a\n")]), name: "b2.json"), ["--format", "json"])
        #expect(box.change(r, box.hermes + "/config.yaml")?["action"] as? String == "deleted")
        #expect(!FileManager.default.fileExists(atPath: box.hermes + "/config.yaml"))
    }
}

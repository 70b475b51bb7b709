import Foundation
import Testing

/// `overlay validate` in a git work tree warns when the source of a create-only file is edited
/// (in the work tree, or by the last commit): hosts that already have the file keep their copy.
@Suite struct CreateOnlyValidateTests {
    /// A git repo holding the example overlay, one commit.
    struct Repo {
        let dir: URL
        var path: String { dir.path }

        init(git: Bool = true) throws {
            dir = try makeTempDir("overlay-create-only-validate")
            for name in [
                "config.yaml", "SOUL.md", "channel_aliases.json", "agent-memories", "agent-scripts", "policy", "playbooks", "cron",
                "inventory",
            ] {
                try FileManager.default.copyItem(at: PackagePaths.root.appendingPathComponent(name), to: dir.appendingPathComponent(name))
            }
            if git {
                try run(["init", "-q", "-b", "main"])
                try commit("the example")
            }
        }

        func run(_ args: [String]) throws {
            let r = try runProcess(
                "/usr/bin/git", ["-C", path, "-c", "user.name=t", "-c", "user.email=t@example.org", "-c", "commit.gpgsign=false"] + args)
            #expect(r.status == 0, "git \(args): \(r.stderr)")
        }

        func commit(_ message: String) throws {
            try run(["add", "-A"])
            try run(["commit", "-q", "-m", message])
        }

        func append(_ file: String, _ text: String) throws {
            let handle = try FileHandle(forWritingTo: dir.appendingPathComponent(file))
            try handle.seekToEnd()
            handle.write(Data(text.utf8))
            try handle.close()
        }

        /// The create-only warnings of `overlay validate`: (line, message).
        func warnings() throws -> [(line: Int, message: String)] {
            let r = try runOverlay(["validate", "--root", path, "--format", "json"])
            let diags = r.json["diagnostics"] as? [[String: Any]] ?? []
            return diags.filter { $0["rule"] as? String == "playbook.create-only-source-changed" }.map {
                #expect($0["file"] as? String == "playbooks/site.yaml" && $0["severity"] as? String == "warning")
                return ($0["line"] as? Int ?? 0, $0["message"] as? String ?? "")
            }
        }

        func cleanup() { try? FileManager.default.removeItem(at: dir) }
    }

    /// The line of the example's create-only entry in playbooks/site.yaml.
    static func seedLine() throws -> Int {
        let site = try String(contentsOf: PackagePaths.root.appendingPathComponent("playbooks/site.yaml"), encoding: .utf8)
        let lines = site.components(separatedBy: "\n")
        return try #require(lines.firstIndex { $0.contains("agent-memories/USER.md") && $0.contains("create_only: true") }) + 1
    }

    @Test func anEditedSeedSourceIsAWarningUntilAnotherCommitFollows() throws {
        let repo = try Repo()
        defer { repo.cleanup() }
        #expect(try repo.warnings().isEmpty, "a fresh commit adds the file: every host gets it")

        try repo.append("agent-memories/USER.md", "\n§\nLikes tea.")
        let edited = try repo.warnings()
        #expect(edited.map(\.line) == [try Self.seedLine()], "\(edited)")
        #expect(
            edited.first?.message.contains("agent-memories/USER.md is the source of a create_only file and was changed in the working tree")
                == true)
        #expect(edited.first?.message.contains("overlay apply --force-create") == true)

        try repo.commit("memory: tea")
        let committed = try repo.warnings()
        #expect(committed.count == 1 && committed.first?.message.contains("changed by the last commit") == true, "\(committed)")

        try repo.append("SOUL.md", "\n")
        try repo.commit("soul: a line")
        #expect(try repo.warnings().isEmpty, "the edit is older than the change under review")
        // Other files changing never warn.
        try repo.append("SOUL.md", "\n")
        #expect(try repo.warnings().isEmpty)
    }

    @Test func outsideAGitWorkTreeTheCheckIsSkipped() throws {
        let repo = try Repo(git: false)
        defer { repo.cleanup() }
        try repo.append("agent-memories/USER.md", "\n§\nLikes tea.")
        #expect(try repo.warnings().isEmpty)
        let r = try runOverlay(["validate", "--root", repo.path])
        #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
    }
}

import Foundation

/// A real origin for `overlay pull`: a bare repository and a working clone made with the git
/// CLI, holding a small overlay repo whose one local host applies into the sandbox's HOME.
struct PullFixture {
    let root: URL
    var origin: String { root.path + "/origin.git" }
    var work: String { root.path + "/work" }
    var home: String { root.path + "/home" }
    var state: String { root.path + "/state" }
    var env: [String: String] {
        [
            "HOME": home, "OVERLAY_STATE_DIR": state, "OVERLAY_CRONTAB": "file:" + root.path + "/crontab",
            "GIT_CONFIG_GLOBAL": "/dev/null", "GIT_CONFIG_NOSYSTEM": "1",
        ]
    }

    init() throws {
        root = try makeTempDir("overlay-pull")
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        try git(["init", "-q", "--bare", "-b", "main", origin], in: root.path)
        try git(["clone", "-q", origin, work], in: root.path)
        try FileManager.default.copyItem(
            at: PackagePaths.root.appendingPathComponent("Tests/Fixtures/valid/minimal/policy"),
            to: URL(fileURLWithPath: work + "/policy"))
        try write("SOUL.md", "# Soul\n\nversion 1\n")
        try write("config.yaml", "model:\n  default: local-model\n  provider: custom\n")
        try write(
            "inventory/hosts.yml",
            "all:\n  vars:\n    timmy_home: ~/.timmy\n    golden_state_providers: [custom]\n  hosts:\n    timmy:\n      ansible_connection: local\n"
        )
        try write(
            "playbooks/site.yaml",
            "hosts: all\nhomes:\n  timmy: \"{{ timmy_home }}\"\nfiles:\n  - {src: SOUL.md, dest: \"{{ timmy_home }}/SOUL.md\"}\nproviders: \"{{ golden_state_providers }}\"\n"
        )
    }

    func cleanup() { try? FileManager.default.removeItem(at: root) }

    /// Writes a file of the working clone.
    func write(_ path: String, _ text: String) throws {
        let url = URL(fileURLWithPath: work + "/" + path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
    }

    /// Commits everything in the working clone and pushes it to main; returns the commit id.
    @discardableResult
    func commitAndPush(_ message: String, sign key: String? = nil) throws -> String {
        try git(["add", "-A"], in: work)
        var args = ["-c", "user.name=Fleet Admin", "-c", "user.email=admin@example.invalid"]
        if let key { args += ["-c", "gpg.format=ssh", "-c", "user.signingkey=\(key)", "commit", "-q", "-S", "-m", message] }
        else { args += ["commit", "-q", "-m", message] }
        try git(args, in: work)
        try git(["push", "-q", "origin", "HEAD:main"], in: work)
        return try git(["rev-parse", "HEAD"], in: work).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @discardableResult
    func git(_ args: [String], in dir: String) throws -> String {
        let r = try runProcess("/usr/bin/git", args, env: env, cwd: URL(fileURLWithPath: dir))
        guard r.status == 0 else { throw ScenarioError("git \(args.joined(separator: " ")): \(r.stderr)") }
        return r.stdout
    }

    /// `overlay pull --repo ORIGIN` with `extra` arguments, as JSON.
    func pull(_ extra: [String] = []) throws -> OverlayResult {
        try runOverlay(["pull", "--repo", origin, "--format", "json"] + extra, env: env, cwd: root)
    }

    /// The SOUL.md the home shows.
    var liveSoul: String? { try? String(contentsOfFile: home + "/.timmy/SOUL.md", encoding: .utf8) }

    /// Generations as `overlay generations --format json` lists them.
    func generations() throws -> [[String: Any]] {
        let r = try runOverlay(["generations", "--format", "json"], env: env, cwd: root)
        return r.json["generations"] as? [[String: Any]] ?? []
    }
}

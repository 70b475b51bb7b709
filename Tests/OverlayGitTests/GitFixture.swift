import Foundation
import OverlayRuntime

/// A bare "origin" repository and a working clone that pushes to it, made with the `git`
/// CLI in a temp folder, with the identity set per command (never in a global config).
final class GitFixture {
    let root: String
    var bare: String { root + "/origin.git" }
    var work: String { root + "/work" }
    /// Where the mirror under test lives (as it would under the state dir).
    var mirrorPath: String { root + "/state/mirror.git" }

    /// Isolates every git run here from the user's and the system's config.
    static let environment: [String: String] = [
        "PATH": "/usr/bin:/bin", "HOME": FileManager.default.temporaryDirectory.path, "LC_ALL": "C",
        "GIT_CONFIG_GLOBAL": "/dev/null", "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_AUTHOR_NAME": "Ada Author", "GIT_AUTHOR_EMAIL": "ada@example.invalid",
        "GIT_COMMITTER_NAME": "Ada Author", "GIT_COMMITTER_EMAIL": "ada@example.invalid",
    ]

    init() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("overlay-git-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        try git(["init", "-q", "--bare", "-b", "main", bare], in: root)
        try git(["clone", "-q", bare, work], in: root)
        try git(["checkout", "-q", "-b", "main"], in: work)
    }

    func cleanup() { try? FileManager.default.removeItem(atPath: root) }

    /// Runs git in `dir` (the working clone by default); throws with its errors unless it exits 0.
    @discardableResult
    func git(_ args: [String], in dir: String? = nil, input: Data? = nil, env: [String: String] = [:]) throws -> String {
        let child = ChildProcess(
            "/usr/bin/git", ["-C", dir ?? work] + args, environment: Self.environment.merging(env) { $1 }, input: input)
        let result = try child.run()
        guard result.status == 0 else {
            throw FixtureError("git \(args.joined(separator: " ")) failed: \(String(decoding: result.errors, as: UTF8.self))")
        }
        return String(decoding: result.output, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Standard output of git, as bytes.
    func gitData(_ args: [String], in dir: String) throws -> Data {
        let result = try ChildProcess("/usr/bin/git", ["-C", dir] + args, environment: Self.environment).run()
        guard result.status == 0 else { throw FixtureError("git \(args) failed") }
        return result.output
    }

    /// Writes `files` (path → content) into the working clone, commits all changes and
    /// pushes `main`; returns the new commit's id.
    @discardableResult
    func commit(_ message: String, _ files: [String: String] = [:], extra: [String] = []) throws -> String {
        for (path, text) in files { try write(path, Data(text.utf8)) }
        try git(["add", "-A"])
        try git(extra + ["commit", "-q", "--allow-empty", "-m", message])
        try git(["push", "-q", "origin", "HEAD:refs/heads/main"])
        return try git(["rev-parse", "HEAD"])
    }

    /// Writes bytes at `path` in the working clone (folders made as needed).
    func write(_ path: String, _ data: Data, executable: Bool = false) throws {
        let full = work + "/" + path
        try FileManager.default.createDirectory(
            atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try data.write(to: URL(fileURLWithPath: full))
        try FileManager.default.setAttributes([.posixPermissions: executable ? 0o755 : 0o644], ofItemAtPath: full)
    }

    /// The refs of a repository as `git show-ref` prints them (to compare before and after).
    func refs(of repo: String) throws -> String {
        let result = try ChildProcess("/usr/bin/git", ["-C", repo, "show-ref"], environment: Self.environment).run()
        return String(decoding: result.output, as: UTF8.self)
    }

    /// Folder entries next to `path` whose names start with `.<name>.` (temp leftovers; the
    /// mirror's fetch lock file is meant to stay).
    func leftovers(near path: String) -> [String] {
        let parent = (path as NSString).deletingLastPathComponent
        let name = (path as NSString).lastPathComponent
        return ((try? FileManager.default.contentsOfDirectory(atPath: parent)) ?? [])
            .filter { $0.hasPrefix("." + name + ".") && $0 != "." + name + ".fetch-lock" }
    }
}

struct FixtureError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Objects written with git's plumbing, for trees that `git add` would never make.
extension GitFixture {
    /// One raw tree entry: an octal mode, a name as bytes, an object id.
    struct RawEntry {
        var mode: String
        var name: [UInt8]
        var oid: String
        init(_ mode: String, _ name: String, _ oid: String) { self.init(mode, Array(name.utf8), oid) }
        init(_ mode: String, _ name: [UInt8], _ oid: String) {
            self.mode = mode
            self.name = name
            self.oid = oid
        }
    }

    /// Writes a blob into `repo` (the bare origin by default); returns its id.
    func blob(_ text: String, in repo: String? = nil) throws -> String {
        try git(["hash-object", "-w", "--stdin"], in: repo ?? bare, input: Data(text.utf8))
    }

    /// Writes a tree with exactly these entries, unchecked (`--literally`); returns its id.
    func rawTree(_ entries: [RawEntry], in repo: String? = nil) throws -> String {
        var bytes = Data()
        for e in entries {
            bytes.append(contentsOf: Array((e.mode + " ").utf8) + e.name + [0])
            var raw = [UInt8]()
            var i = e.oid.startIndex
            while i < e.oid.endIndex {
                let j = e.oid.index(i, offsetBy: 2)
                raw.append(UInt8(e.oid[i..<j], radix: 16) ?? 0)
                i = j
            }
            bytes.append(contentsOf: raw)
        }
        return try git(["hash-object", "-t", "tree", "--literally", "-w", "--stdin"], in: repo ?? bare, input: bytes)
    }

    /// A commit of `tree` on branch `ref` of the bare origin; returns its id.
    @discardableResult
    func commitTree(_ tree: String, branch: String) throws -> String {
        let id = try git(["commit-tree", tree, "-m", "crafted"], in: bare)
        try git(["update-ref", "refs/heads/" + branch, id], in: bare)
        return id
    }
}

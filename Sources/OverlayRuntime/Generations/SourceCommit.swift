import Foundation

/// The commit a git checkout is at, read from `.git` without libgit2 (plus `git status`
/// for the dirty marker).
public enum SourceCommit {
    /// HEAD of the repo at `root` (following `ref:` to a loose ref or packed-refs), or nil.
    public static func read(root: String) -> String? {
        var gitDir = root + "/.git"
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: gitDir, isDirectory: &isDir) else { return nil }
        if !isDir.boolValue {
            // A worktree or submodule: `.git` is a file saying `gitdir: PATH`.
            guard let text = try? String(contentsOfFile: gitDir, encoding: .utf8),
                let line = text.split(separator: "\n").first, line.hasPrefix("gitdir:")
            else { return nil }
            let path = line.dropFirst("gitdir:".count).trimmingCharacters(in: .whitespaces)
            gitDir = path.hasPrefix("/") ? path : root + "/" + path
        }
        guard let head = try? String(contentsOfFile: gitDir + "/HEAD", encoding: .utf8) else { return nil }
        let value = head.trimmingCharacters(in: .whitespacesAndNewlines)
        guard value.hasPrefix("ref:") else { return isHash(value) ? value : nil }
        let ref = value.dropFirst(4).trimmingCharacters(in: .whitespaces)
        // Linked worktrees keep shared refs in the common dir.
        var dirs = [gitDir]
        if let common = try? String(contentsOfFile: gitDir + "/commondir", encoding: .utf8) {
            let c = common.trimmingCharacters(in: .whitespacesAndNewlines)
            dirs.append(c.hasPrefix("/") ? c : gitDir + "/" + c)
        }
        for dir in dirs {
            if let loose = try? String(contentsOfFile: dir + "/" + ref, encoding: .utf8) {
                let h = loose.trimmingCharacters(in: .whitespacesAndNewlines)
                if isHash(h) { return h }
            }
            if let packed = try? String(contentsOfFile: dir + "/packed-refs", encoding: .utf8) {
                for line in packed.split(separator: "\n") where line.hasSuffix(" " + ref) {
                    let h = String(line.split(separator: " ")[0])
                    if isHash(h) { return h }
                }
            }
        }
        return nil
    }

    /// HEAD of the repo at `root`, with `-dirty` appended (as `git describe --dirty` does)
    /// when tracked files differ from it, so a generation built from uncommitted edits says
    /// so. Dirtiness comes from `git status`; without git, or when it fails, HEAD alone.
    public static func describe(root: String) -> String? {
        guard let head = read(root: root) else { return nil }
        return isDirty(root: root) == true ? head + "-dirty" : head
    }

    /// True when tracked files (or the index) differ from HEAD; nil when git cannot tell.
    static func isDirty(root: String) -> Bool? {
        let git = ["/usr/bin/git", "/usr/local/bin/git", "/bin/git"].first { FileManager.default.isExecutableFile(atPath: $0) }
        guard let git else { return nil }
        var env = ProcessInfo.processInfo.environment
        env["GIT_OPTIONAL_LOCKS"] = "0"  // a status must not take the index lock from a user's git
        var child = ChildProcess(git, ["-C", root, "status", "--porcelain", "--untracked-files=no"], environment: env)
        child.timeout = .seconds(10)
        guard let result = try? child.run(), result.status == 0, !result.timedOut else { return nil }
        return !result.output.isEmpty
    }

    static func isHash(_ s: String) -> Bool {
        (s.count == 40 || s.count == 64) && s.allSatisfy(\.isHexDigit)
    }
}

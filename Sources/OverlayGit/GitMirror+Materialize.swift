import CLibgit2
import Foundation

extension GitMirror {
    /// Writes the tree of `commit` (a full id already in the mirror) into `staging`, which
    /// must not exist yet: regular files with mode 0644 or 0755 and their exact bytes (no
    /// line-ending or attribute filters), symlinks as symlinks, folders 0755.
    ///
    /// The whole tree is checked before anything is written (names, duplicates, submodules,
    /// symlinks leaving the tree, `limits`), then written into a temp sibling that is renamed
    /// to `staging`: the caller sees a complete folder or none. No `git` process is run.
    public func materialize(
        commit: String, into staging: String, limits: MaterializeLimits = MaterializeLimits()
    ) throws(GitError) -> MaterializedTree {
        var st = stat()
        if lstat(staging, &st) == 0 { throw .stagingExists(path: staging) }
        let repo = try GitRepository.openBare(path)
        let handle = try repo.commit(commit)
        defer { git_commit_free(handle) }
        var scan = try TreeScan(repo: repo, commit: commit, limits: limits)
        defer { scan.close() }
        try scan.scan(handle)

        let parent = (staging as NSString).deletingLastPathComponent
        do {
            try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
        } catch {
            throw .io(operation: "mkdir", path: parent, errno: (error as NSError).code == 0 ? EIO : Int32((error as NSError).code))
        }
        var template = Array((parent + "/." + (staging as NSString).lastPathComponent + ".tmp-XXXXXX").utf8CString)
        guard let made = mkdtemp(&template) else { throw .io(operation: "mkdtemp", path: parent, errno: errno) }
        let temp = String(cString: made)
        do throws(GitError) {
            let counts = try TreeWriter(root: temp, blobs: BlobReader(repo: repo, commit: commit)).write(scan.entries)
            guard chmod(temp, 0o755) == 0 else { throw GitError.io(operation: "chmod", path: temp, errno: errno) }
            guard rename(temp, staging) == 0 else {
                throw errno == EEXIST || errno == ENOTEMPTY
                    ? GitError.stagingExists(path: staging) : GitError.io(operation: "rename", path: staging, errno: errno)
            }
            return MaterializedTree(
                commit: commit, path: staging, files: counts.files, symlinks: counts.symlinks,
                directories: counts.directories, bytes: counts.bytes)
        } catch {
            try? FileManager.default.removeItem(atPath: temp)
            throw error
        }
    }

}

import CLibgit2
import Foundation

/// Which of some repo paths the change under review edits: the last commit (against its first
/// parent — for the merge commit CI checks out, the whole branch) and the working tree with the
/// index (what is about to be committed). A path added there is not an edit (nothing had it),
/// nor is an untracked file.
public enum RecentChanges {
    /// `path` (a file or a folder, relative to the repo root) → how it changed, for the `paths`
    /// that changed; nil when `root` is not itself a git work tree or git cannot say.
    public static func edits(root: String, paths: [String]) -> [String: String]? {
        guard !paths.isEmpty else { return [:] }
        GitLibrary.ensureInitialized()
        var repo: OpaquePointer?
        guard git_repository_open_ext(&repo, root, GIT_REPOSITORY_OPEN_NO_SEARCH.rawValue, nil) == 0, let repo else { return nil }
        defer { git_repository_free(repo) }
        guard git_repository_is_bare(repo) == 0, let head = headCommit(repo) else { return nil }
        defer { git_commit_free(head) }
        var headTree: OpaquePointer?
        guard git_commit_tree(&headTree, head) == 0, let headTree else { return nil }
        defer { git_tree_free(headTree) }
        var out: [String: String] = [:]
        if git_commit_parentcount(head) > 0 {
            var parent: OpaquePointer?
            var parentTree: OpaquePointer?
            if git_commit_parent(&parent, head, 0) == 0, let parent {
                defer { git_commit_free(parent) }
                if git_commit_tree(&parentTree, parent) == 0, let parentTree {
                    defer { git_tree_free(parentTree) }
                    let commit = String(GitRepository.hex(git_commit_id(head)).prefix(12))
                    for path in edited(repo, paths, old: parentTree, new: headTree) {
                        out[path] = "changed by the last commit (\(commit))"
                    }
                }
            }
        }
        for path in edited(repo, paths, old: headTree, new: nil) { out[path] = "changed in the working tree" }
        return out
    }

    private static func headCommit(_ repo: OpaquePointer) -> OpaquePointer? {
        var ref: OpaquePointer?
        guard git_repository_head(&ref, repo) == 0, let ref else { return nil }
        defer { git_reference_free(ref) }
        var object: OpaquePointer?
        guard git_reference_peel(&object, ref, GIT_OBJECT_COMMIT) == 0, let object else { return nil }
        return object
    }

    /// The `paths` with a modified (or deleted, or retyped) file at or under them between `old`
    /// and `new` (nil: the working tree through the index).
    private static func edited(_ repo: OpaquePointer, _ paths: [String], old: OpaquePointer, new: OpaquePointer?) -> Set<String> {
        var opts = git_diff_options()
        git_diff_options_init(&opts, UInt32(GIT_DIFF_OPTIONS_VERSION))
        return StringArray(paths).withStrArray { pathspec -> Set<String> in
            opts.pathspec = pathspec.pointee
            var diff: OpaquePointer?
            let rc =
                new.map { git_diff_tree_to_tree(&diff, repo, old, $0, &opts) }
                ?? git_diff_tree_to_workdir_with_index(&diff, repo, old, &opts)
            guard rc == 0, let diff else { return [] }
            defer { git_diff_free(diff) }
            var found: Set<String> = []
            for i in 0..<git_diff_num_deltas(diff) {
                guard let delta = git_diff_get_delta(diff, i)?.pointee else { continue }
                guard delta.status == GIT_DELTA_MODIFIED || delta.status == GIT_DELTA_DELETED || delta.status == GIT_DELTA_TYPECHANGE,
                    let raw = delta.old_file.path
                else { continue }
                let file = String(cString: raw)
                for path in paths where file == path || file.hasPrefix(path + "/") { found.insert(path) }
            }
            return found
        }
    }
}

import CLibgit2
import Foundation

/// One entry of a commit's tree as it will be written: a path and what is there.
struct TreeEntry {
    enum Kind {
        case directory
        case file(git_oid, executable: Bool, size: Int)
        case symlink(target: String)
    }

    /// Path components below the tree's root.
    var components: [String]
    var kind: Kind
    var path: String { components.joined(separator: "/") }
}

/// Reads a commit's tree without reading file contents (sizes come from object headers)
/// and refuses what overlay will not write: names that are not plain (`..`, `/`, `.git`,
/// control characters, not UTF-8), duplicates, submodules, symlinks that leave the tree,
/// and trees past the limits. Entries come out in pre-order: a folder before its contents.
struct TreeScan {
    let repo: GitRepository
    let commit: String
    let limits: MaterializeLimits
    private(set) var entries: [TreeEntry] = []
    private(set) var totalBytes = 0
    private var seen = Set<String>()
    private let odb: OpaquePointer

    init(repo: GitRepository, commit: String, limits: MaterializeLimits) throws(GitError) {
        self.repo = repo
        self.commit = commit
        self.limits = limits
        var odb: OpaquePointer?
        let rc = git_repository_odb(&odb, repo.pointer)
        guard rc == 0, let odb else { throw .unusableMirror(path: repo.path, reason: GitLibrary.lastError(rc)) }
        self.odb = odb
    }

    /// Frees the object database handle.
    func close() { git_odb_free(odb) }

    /// Scans the tree of `commitHandle`, then checks every symlink's containment.
    mutating func scan(_ commitHandle: OpaquePointer) throws(GitError) {
        var tree: OpaquePointer?
        let rc = git_commit_tree(&tree, commitHandle)
        guard rc == 0, let tree else { throw .objectMissing(mirror: repo.path, commit: commit, reason: GitLibrary.lastError(rc)) }
        defer { git_tree_free(tree) }
        try walk(tree, prefix: [])
        try SymlinkContainment(entries: entries).check(commit: commit)
    }

    private mutating func walk(_ tree: OpaquePointer, prefix: [String]) throws(GitError) {
        for index in 0..<git_tree_entrycount(tree) {
            guard let entry = git_tree_entry_byindex(tree, index) else { continue }
            let raw = git_tree_entry_name(entry)
            let shownPrefix = prefix.joined(separator: "/")
            guard let raw, let name = String(validatingCString: raw) else {
                throw .unsafeEntry(commit: commit, path: shownPrefix + "/?", reason: "the name is not valid UTF-8")
            }
            let components = prefix + [name]
            let path = components.joined(separator: "/")
            try Self.checkName(name, path: path, commit: commit)
            guard seen.insert(path).inserted else {
                throw .unsafeEntry(commit: commit, path: path, reason: "the tree lists this name twice (a crafted tree)")
            }
            guard entries.count < limits.maxEntries else {
                throw .tooLarge(commit: commit, what: "more than \(limits.maxEntries) entries", limit: "\(limits.maxEntries) entries")
            }
            let oid = git_tree_entry_id(entry).pointee
            switch git_tree_entry_filemode(entry) {
            case GIT_FILEMODE_TREE:
                guard components.count <= limits.maxDepth else {
                    throw .tooLarge(
                        commit: commit, what: "'\(path)' is nested deeper than \(limits.maxDepth)", limit: "depth \(limits.maxDepth)")
                }
                entries.append(TreeEntry(components: components, kind: .directory))
                try walkSubtree(oid, prefix: components)
            case GIT_FILEMODE_BLOB, GIT_FILEMODE_BLOB_EXECUTABLE:
                let size = try blobSize(oid, path: path)
                guard size <= limits.maxFileBytes else {
                    throw .tooLarge(commit: commit, what: "'\(path)' is \(size) bytes", limit: "\(limits.maxFileBytes) bytes a file")
                }
                totalBytes += size
                guard totalBytes <= limits.maxTotalBytes else {
                    throw .tooLarge(
                        commit: commit, what: "the files add up to more than \(limits.maxTotalBytes) bytes",
                        limit: "\(limits.maxTotalBytes) bytes")
                }
                let executable = git_tree_entry_filemode(entry) == GIT_FILEMODE_BLOB_EXECUTABLE
                entries.append(TreeEntry(components: components, kind: .file(oid, executable: executable, size: size)))
            case GIT_FILEMODE_LINK:
                entries.append(TreeEntry(components: components, kind: .symlink(target: try linkTarget(oid, path: path))))
            case GIT_FILEMODE_COMMIT:
                throw .unsupportedEntry(commit: commit, path: path, kind: "submodule")
            default:
                throw .unsafeEntry(commit: commit, path: path, reason: "an unknown file mode")
            }
        }
    }

    private mutating func walkSubtree(_ oid: git_oid, prefix: [String]) throws(GitError) {
        var oid = oid
        var subtree: OpaquePointer?
        let rc = git_tree_lookup(&subtree, repo.pointer, &oid)
        guard rc == 0, let subtree else {
            throw .objectMissing(
                mirror: repo.path, commit: commit, reason: "folder '\(prefix.joined(separator: "/"))': \(GitLibrary.lastError(rc))")
        }
        defer { git_tree_free(subtree) }
        try walk(subtree, prefix: prefix)
    }

    /// The blob's size from its header, without inflating it.
    private func blobSize(_ oid: git_oid, path: String) throws(GitError) -> Int {
        var oid = oid
        var size = 0
        var type = GIT_OBJECT_INVALID
        let rc = git_odb_read_header(&size, &type, odb, &oid)
        guard rc == 0 else { throw .objectMissing(mirror: repo.path, commit: commit, reason: "'\(path)': \(GitLibrary.lastError(rc))") }
        guard type == GIT_OBJECT_BLOB else {
            throw .unsafeEntry(commit: commit, path: path, reason: "it names an object that is not a file")
        }
        return size
    }

    /// A symlink's target: short, relative, without NUL bytes.
    private func linkTarget(_ oid: git_oid, path: String) throws(GitError) -> String {
        guard try blobSize(oid, path: path) < 4096 else {
            throw .unsafeEntry(commit: commit, path: path, reason: "the symlink target is longer than a path may be")
        }
        let bytes = try BlobReader(repo: repo, commit: commit).read(oid, path: path)
        guard !bytes.isEmpty, !bytes.contains(0), let target = String(validating: bytes, as: UTF8.self) else {
            throw .unsafeEntry(commit: commit, path: path, reason: "the symlink target is empty, has a NUL byte or is not UTF-8")
        }
        guard !target.hasPrefix("/") else {
            throw .unsafeEntry(commit: commit, path: path, reason: "the symlink points outside the tree (to \(target))")
        }
        return target
    }

    /// Refuses names that are not one plain path component, or that git itself reserves.
    static func checkName(_ name: String, path: String, commit: String) throws(GitError) {
        if name.isEmpty || name == "." || name == ".." || name.contains("/") {
            throw .unsafeEntry(commit: commit, path: path, reason: "'\(name)' is not a plain file name")
        }
        if name.lowercased() == ".git" {
            throw .unsafeEntry(commit: commit, path: path, reason: "a '.git' entry could pose as a repository of its own")
        }
        if name.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7f }) {
            throw .unsafeEntry(commit: commit, path: CommitInfo.printable(path, limit: 200), reason: "the name has control characters")
        }
    }
}

import CLibgit2
import Foundation

/// One open libgit2 repository, freed with the value. Used within one call, on one thread.
final class GitRepository {
    let pointer: OpaquePointer
    let path: String

    private init(_ pointer: OpaquePointer, path: String) {
        self.pointer = pointer
        self.path = path
    }

    deinit { git_repository_free(pointer) }

    /// Opens exactly `path` as a bare repository (never a parent folder's repository).
    static func openBare(_ path: String) throws(GitError) -> GitRepository {
        GitLibrary.ensureInitialized()
        var repo: OpaquePointer?
        let rc = git_repository_open_bare(&repo, path)
        guard rc == 0, let repo else { throw .unusableMirror(path: path, reason: GitLibrary.lastError(rc)) }
        return GitRepository(repo, path: path)
    }

    /// Creates an empty bare repository at `path`.
    static func createBare(_ path: String) throws(GitError) -> GitRepository {
        GitLibrary.ensureInitialized()
        var repo: OpaquePointer?
        let rc = git_repository_init(&repo, path, 1)
        guard rc == 0, let repo else { throw .unusableMirror(path: path, reason: GitLibrary.lastError(rc)) }
        return GitRepository(repo, path: path)
    }

    /// The commit a ref points at (peeling annotated tags), nil when the ref does not exist.
    func commitID(ofRef name: String) throws(GitError) -> git_oid? {
        var ref: OpaquePointer?
        let rc = git_reference_lookup(&ref, pointer, name)
        if rc == GIT_ENOTFOUND.rawValue { return nil }
        guard rc == 0, let ref else { throw .unusableMirror(path: path, reason: GitLibrary.lastError(rc)) }
        defer { git_reference_free(ref) }
        var object: OpaquePointer?
        guard git_reference_peel(&object, ref, GIT_OBJECT_COMMIT) == 0, let object else { return nil }
        defer { git_object_free(object) }
        return git_object_id(object).pointee
    }

    /// Looks up a commit by its full id; the caller frees it.
    func commit(_ id: String) throws(GitError) -> OpaquePointer {
        var oid = try Self.oid(id, mirror: path)
        var commit: OpaquePointer?
        let rc = git_commit_lookup(&commit, pointer, &oid)
        guard rc == 0, let commit else {
            throw .objectMissing(mirror: path, commit: id, reason: GitLibrary.lastError(rc))
        }
        return commit
    }

    /// What `overlay pull` reports about a commit.
    func info(_ id: String) throws(GitError) -> CommitInfo {
        let commit = try commit(id)
        defer { git_commit_free(commit) }
        return Self.info(of: commit)
    }

    /// What `overlay pull` reports about a commit known by its object id.
    func info(_ oid: git_oid) throws(GitError) -> CommitInfo {
        var oid = oid
        return try info(Self.hex(&oid))
    }

    static func info(of commit: OpaquePointer) -> CommitInfo {
        let author = git_commit_author(commit)
        let name = author.flatMap { $0.pointee.name.map { String(cString: $0) } } ?? ""
        let email = author.flatMap { $0.pointee.email.map { String(cString: $0) } } ?? ""
        let seconds = author.map { $0.pointee.when.time } ?? git_commit_time(commit)
        let subject = git_commit_summary(commit).map { String(cString: $0) } ?? ""
        return CommitInfo(
            id: hex(git_commit_id(commit)), authorName: name, authorEmail: email,
            time: Date(timeIntervalSince1970: TimeInterval(seconds)), subject: subject)
    }

    /// A full 40-hex commit id as a `git_oid`.
    static func oid(_ id: String, mirror: String) throws(GitError) -> git_oid {
        var oid = git_oid()
        guard id.count == 40, id.allSatisfy(\.isHexDigit), git_oid_fromstr(&oid, id) == 0 else {
            throw .objectMissing(mirror: mirror, commit: id, reason: "not a full 40-hex commit id")
        }
        return oid
    }

    /// The 40 hex digits of an object id.
    static func hex(_ oid: UnsafePointer<git_oid>?) -> String {
        guard let oid else { return "" }
        var buffer = [CChar](repeating: 0, count: 41)
        git_oid_tostr(&buffer, buffer.count, oid)
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

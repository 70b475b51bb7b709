import CLibgit2
import Foundation

/// A commit's signature as git stores it (the `gpgsig` header) and the bytes it signs (the
/// commit object without that header), as `git verify-commit` hands them to the verifier.
public struct CommitSignature: Sendable, Equatable {
    /// The commit's full id.
    public var commit: String
    /// The armored signature (`-----BEGIN SSH SIGNATURE-----…` for SSH signing).
    public var signature: Data
    /// The signed payload.
    public var payload: Data
    /// The committer's time: what git checks a signer's `valid-after`/`valid-before` against.
    public var committerTime: Date

    public init(commit: String, signature: Data, payload: Data, committerTime: Date) {
        self.commit = commit
        self.signature = signature
        self.payload = payload
        self.committerTime = committerTime
    }
}

extension GitMirror {
    /// The signature of `commit` (a full id in the mirror), or nil when it is not signed.
    public func signature(of commit: String) throws(GitError) -> CommitSignature? {
        let repo = try GitRepository.openBare(path)
        let handle = try repo.commit(commit)
        defer { git_commit_free(handle) }
        let time = Date(timeIntervalSince1970: TimeInterval(git_commit_time(handle)))
        var oid = try GitRepository.oid(commit, mirror: path)
        var signature = git_buf()
        var payload = git_buf()
        defer {
            git_buf_dispose(&signature)
            git_buf_dispose(&payload)
        }
        let rc = git_commit_extract_signature(&signature, &payload, repo.pointer, &oid, nil)
        if rc == GIT_ENOTFOUND.rawValue { return nil }
        guard rc == 0 else { throw .objectMissing(mirror: path, commit: commit, reason: GitLibrary.lastError(rc)) }
        return CommitSignature(
            commit: commit, signature: Self.data(signature), payload: Self.data(payload), committerTime: time)
    }

    private static func data(_ buffer: git_buf) -> Data {
        guard let bytes = buffer.ptr else { return Data() }
        return Data(bytes: bytes, count: buffer.size)
    }
}

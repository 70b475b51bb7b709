import CLibgit2

/// Reads file contents out of the mirror.
struct BlobReader {
    let repo: GitRepository
    let commit: String

    /// Calls `body` with the blob's bytes (valid only during the call).
    func withBytes<R>(_ oid: git_oid, path: String, _ body: (UnsafeRawBufferPointer) throws(GitError) -> R) throws(GitError) -> R {
        var oid = oid
        var blob: OpaquePointer?
        let rc = git_blob_lookup(&blob, repo.pointer, &oid)
        guard rc == 0, let blob else {
            throw .objectMissing(mirror: repo.path, commit: commit, reason: "'\(path)': \(GitLibrary.lastError(rc))")
        }
        defer { git_blob_free(blob) }
        let size = Int(git_blob_rawsize(blob))
        return try body(UnsafeRawBufferPointer(start: git_blob_rawcontent(blob), count: size))
    }

    /// The blob's bytes, copied.
    func read(_ oid: git_oid, path: String) throws(GitError) -> [UInt8] {
        try withBytes(oid, path: path) { bytes throws(GitError) in Array(bytes) }
    }
}

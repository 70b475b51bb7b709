import CLibgit2
import Foundation

/// A bare mirror of one remote in a folder of the caller's (under the state dir): cloned on
/// the first fetch, fetched after. Every call opens the repository afresh and closes it, so
/// a value can be shared between tasks; two processes fetching into one mirror at once
/// should hold the state lock.
public struct GitMirror: Sendable {
    /// Where commits come from.
    public let remote: GitRemote
    /// The mirror's folder (a bare repository once the first fetch succeeded).
    public let path: String
    /// SSH identity, host keys and the fetch size bound.
    public var transport: GitTransportOptions
    /// How long a fetch waits for another fetch into the same mirror to finish.
    public var lockTimeout: Duration = .seconds(120)

    /// A mirror of `remote` at `path`.
    public init(remote: GitRemote, path: String, transport: GitTransportOptions = GitTransportOptions()) {
        self.remote = remote
        self.path = path
        self.transport = transport
    }

    /// A mirror of a URL or local path at `path`.
    public init(remote: String, path: String, transport: GitTransportOptions = GitTransportOptions()) {
        self.init(remote: GitRemote(remote), path: path, transport: transport)
    }

    /// Fetches `ref` (a branch, a tag or a full ref; a branch wins over a tag of the same
    /// name) and returns the commit it now points at. The first call clones into a temp
    /// folder renamed into place, so a failed clone leaves no mirror; a failed fetch leaves
    /// the mirror's refs as they were.
    public func fetch(ref: String) throws(GitError) -> CommitInfo {
        let candidates = try RefName.candidates(for: ref)
        let refspecs = candidates.map { "+\($0):\($0)" }
        let lock = try MirrorFetchLock(mirror: path, timeout: lockTimeout)
        defer { lock.release() }
        if FileManager.default.fileExists(atPath: path) {
            do throws(GitError) {
                let repo = try GitRepository.openBare(path)
                StaleMirrorFiles.removeAbandoned(in: path)
                if let reason = try download(into: repo, refspecs: refspecs) {
                    throw .fetchFailed(remote: remote.description, ref: ref, reason: reason)
                }
                return try resolve(ref, candidates: candidates, in: repo)
            } catch {
                // A mirror that is damaged (objects lost, not a repository) is only a cache of
                // the remote: it is cloned again once rather than failing every pull for good.
                guard Self.isDamage(error), looksLikeARepository else { throw error }
                discardDamagedMirror()
            }
        }
        return try clone(ref: ref, candidates: candidates, refspecs: refspecs)
    }

    /// A folder that is no repository at all may be anything (a wrong state dir): never removed.
    private var looksLikeARepository: Bool {
        FileManager.default.fileExists(atPath: path + "/HEAD") && FileManager.default.fileExists(atPath: path + "/objects")
    }

    /// True for failures that come from the mirror's own files rather than the remote.
    static func isDamage(_ error: GitError) -> Bool {
        switch error {
        case .unusableMirror, .objectMissing: return true
        case .fetchFailed(_, _, let reason):
            let text = reason.lowercased()
            return [
                "object not found", "corrupt", "missing object", "failed to read", "bad packfile", "odb", "doesn't exist on the repository",
            ].contains {
                text.contains($0)
            }
        default: return false
        }
    }

    /// Moves the damaged mirror aside and removes it (the fetch lock is held).
    private func discardDamagedMirror() {
        let aside = path + ".damaged-" + UUID().uuidString.prefix(8)
        if rename(path, aside) == 0 { try? FileManager.default.removeItem(atPath: aside) } else { unlink(path) }
    }

    /// The commit `ref` points at in the mirror as it is, without contacting the remote.
    public func resolve(ref: String) throws(GitError) -> CommitInfo {
        let candidates = try RefName.candidates(for: ref)
        return try resolve(ref, candidates: candidates, in: try GitRepository.openBare(path))
    }

    /// What is recorded about a commit already in the mirror.
    public func commit(_ id: String) throws(GitError) -> CommitInfo {
        try GitRepository.openBare(path).info(id)
    }

    private func clone(ref: String, candidates: [String], refspecs: [String]) throws(GitError) -> CommitInfo {
        let parent = (path as NSString).deletingLastPathComponent
        let temp = parent + "/." + (path as NSString).lastPathComponent + ".clone-" + UUID().uuidString.prefix(8)
        do {
            try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
        } catch {
            throw .cloneFailed(remote: remote.description, mirror: path, reason: "cannot create \(parent): \(error.localizedDescription)")
        }
        defer { try? FileManager.default.removeItem(atPath: temp) }
        StaleMirrorFiles.removeAbandonedClones(of: path)
        let repo = try GitRepository.createBare(temp)
        if let reason = try download(into: repo, refspecs: refspecs) {
            throw .cloneFailed(remote: remote.description, mirror: path, reason: reason)
        }
        let info = try resolve(ref, candidates: candidates, in: repo)
        // The fetch lock is held: nobody else can have cloned in the meantime.
        guard rename(temp, path) == 0 else { throw .io(operation: "rename", path: path, errno: errno) }
        return info
    }

    /// Fetches `refspecs` into `repo`; nil on success, else why not.
    private func download(into repo: GitRepository, refspecs: [String]) throws(GitError) -> String? {
        // libgit2 takes a missing local path for an unknown URL scheme; say what is wrong.
        if let local = remote.localPath, !FileManager.default.fileExists(atPath: local) {
            return "there is no repository at \(local) (no such file or folder)"
        }
        var remoteHandle: OpaquePointer?
        let created = git_remote_create_anonymous(&remoteHandle, repo.pointer, remote.url)
        guard created == 0, let remoteHandle else { return GitLibrary.lastError(created) }
        defer { git_remote_free(remoteHandle) }
        let session = FetchSession(remote: remote, options: transport)
        let rc = StringArray(refspecs).withStrArray { specs in
            session.withFetchOptions { opts in git_remote_fetch(remoteHandle, specs, opts, "overlay fetch") }
        }
        guard rc != 0 else { return nil }
        let reason = remote.scrubbed(session.refusal ?? GitLibrary.lastError(rc))
        if reason.contains("safe.directory"), let local = remote.localPath {
            // libgit2 1.5 reports a repository owned by someone else by this config look-up.
            return
                "\(local) belongs to another user, and git refuses such a repository unless it is listed as safe (git config --system --add safe.directory \(local))"
        }
        guard reason.contains(".lock") else { return reason }
        return reason
            + " (left by an interrupted fetch or a git command at work in the mirror: overlay removes it once it is \(Int(StaleMirrorFiles.lockAge)) s old)"
    }

    private func resolve(_ ref: String, candidates: [String], in repo: GitRepository) throws(GitError) -> CommitInfo {
        for name in candidates {
            if let oid = try repo.commitID(ofRef: name) { return try repo.info(oid) }
            if refExists(name, in: repo) { throw .notACommit(remote: remote.description, ref: name) }
        }
        throw .refNotFound(remote: remote.description, ref: ref, tried: candidates)
    }

    private func refExists(_ name: String, in repo: GitRepository) -> Bool {
        var ref: OpaquePointer?
        guard git_reference_lookup(&ref, repo.pointer, name) == 0 else { return false }
        git_reference_free(ref)
        return true
    }
}

import Foundation

/// Why a git operation on the mirror stopped. Every case says which remote or mirror, which
/// ref or commit, and why (libgit2's own explanation where it gave one).
public enum GitError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The first fetch into a new mirror failed; no mirror was left behind.
    case cloneFailed(remote: String, mirror: String, reason: String)
    /// A fetch into an existing mirror failed; the mirror still holds what it held before.
    case fetchFailed(remote: String, ref: String, reason: String)
    /// The remote has no branch, tag or full ref of that name.
    case refNotFound(remote: String, ref: String, tried: [String])
    /// The name cannot be a git ref (it has `:`, `*`, `..`, spaces, control characters…).
    case invalidRef(String)
    /// The ref points at something other than a commit (a tree, a blob, a tag of those).
    case notACommit(remote: String, ref: String)
    /// Another fetch into the same mirror held it for longer than the caller would wait.
    case mirrorBusy(mirror: String, waited: Duration)
    /// The mirror folder exists but cannot be used as a bare repository.
    case unusableMirror(path: String, reason: String)
    /// The commit (or an object it needs) is not in the mirror.
    case objectMissing(mirror: String, commit: String, reason: String)
    /// An entry of the commit's tree that overlay refuses to write (hostile or unsafe).
    case unsafeEntry(commit: String, path: String, reason: String)
    /// An entry kind overlay does not materialise (a submodule).
    case unsupportedEntry(commit: String, path: String, kind: String)
    /// The commit's tree is bigger than the limits allow.
    case tooLarge(commit: String, what: String, limit: String)
    /// The staging folder already exists (materialise never writes over anything).
    case stagingExists(path: String)
    /// A system call failed while writing the staging folder.
    case io(operation: String, path: String, errno: Int32)

    public var description: String {
        switch self {
        case .cloneFailed(let remote, let mirror, let reason):
            return "cannot clone \(remote) into \(mirror): \(reason); nothing was kept — check the URL, the network and the credentials"
        case .fetchFailed(let remote, let ref, let reason):
            return "cannot fetch \(ref) from \(remote): \(reason); the mirror is unchanged"
        case .refNotFound(let remote, let ref, let tried):
            return "\(remote) has no ref '\(ref)' (looked for \(tried.joined(separator: ", "))); push it or pass another --ref"
        case .invalidRef(let ref):
            return "'\(ref)' is not a valid git ref name; pass a branch, a tag or a full ref such as refs/heads/main"
        case .notACommit(let remote, let ref):
            return "\(ref) on \(remote) does not point at a commit; pass a branch or a tag of a commit"
        case .mirrorBusy(let mirror, let waited):
            return "another fetch into \(mirror) is still running after \(waited); try again when it has finished"
        case .unusableMirror(let path, let reason):
            return "the mirror \(path) cannot be used (\(reason)); remove the folder and overlay will clone again"
        case .objectMissing(let mirror, let commit, let reason):
            return "commit \(commit) cannot be read from the mirror \(mirror): \(reason); fetch it first"
        case .unsafeEntry(let commit, let path, let reason):
            return "commit \(Self.short(commit)) has an unsafe entry '\(path)': \(reason); overlay refuses the commit — remove the entry"
        case .unsupportedEntry(let commit, let path, let kind):
            return "commit \(Self.short(commit)) has a \(kind) at '\(path)', which overlay does not support; commit the files instead"
        case .tooLarge(let commit, let what, let limit):
            return
                "commit \(Self.short(commit)) is too large to materialise: \(what) (limit \(limit)); keep large files out of the overlay repo"
        case .stagingExists(let path):
            return "the staging folder \(path) already exists; overlay never writes over it — remove it or pick another"
        case .io(let op, let path, let code):
            return "\(op) \(path): \(String(cString: strerror(code)))"
        }
    }

    /// The first 12 hex digits, as people quote commits.
    static func short(_ commit: String) -> String { String(commit.prefix(12)) }
}

import Foundation
import OverlayCore

/// Why an apply, rollback or status run stopped. Every case names the path and the fix.
public enum ApplyError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A destination is not inside any declared home.
    case outsideHomes(path: String, homes: [String])
    /// A destination is (inside) a protected path.
    case insideProtected(path: String, protected: String)
    /// A destination path contains a `..` or `.` component, or is not absolute.
    case unnormalizedPath(path: String)
    /// A folder between the home and the destination is a symlink (overlay never follows one).
    case symlinkInPath(path: String, link: String, target: String)
    /// A destination is (inside) overlay's own state dir, or one of its parents.
    case insideStateDir(path: String, stateDir: String)
    /// A home that is `/`, a system folder, or holds (or lies in) the state dir; `reason` says which.
    case unsafeHome(name: String, path: String, reason: String)
    /// A home that is itself a symlink (overlay never follows a symlink out of a home).
    case homeIsSymlink(home: String, target: String)
    /// A folder (not a file) is at a destination.
    case directoryInTheWay(path: String)
    /// Managed paths were replaced by unmanaged files behind overlay's back.
    case unmanagedReplacement(paths: [String])
    /// Another overlay process holds the state lock.
    case lockTimeout(path: String, seconds: Double)
    /// A generation number that does not exist.
    case noSuchGeneration(Int)
    /// A rollback target whose stored files were changed after it was built.
    case generationChanged(number: Int, paths: [String])
    /// Rollback with nothing to roll back to.
    case nothingToRollBack(String)
    /// A state file overlay wrote cannot be read back.
    case corruptState(path: String, reason: String)
    /// A system call failed.
    case io(operation: String, path: String, errno: Int32)
    /// The state dir's file system lacks room for the new generation (`unit`: bytes or inodes).
    case noSpace(path: String, needed: Int64, free: Int64, unit: String)
    /// The switch happened (or nothing needed switching) but `paths` could not be placed in the
    /// homes: `generation` is live, those paths still show what was there. `underlying` is the first
    /// failure; `rerun` is the command that finishes the job once its cause is fixed.
    /// The caller's `vetoUnderLock` stopped the apply before anything changed.
    case vetoed(reason: String)
    indirect case afterSwitch(generation: Int?, paths: [String], underlying: ApplyError, rerun: String)

    public var description: String {
        switch self {
        case .outsideHomes(let path, let homes):
            return
                "\(path) is outside every declared home (\(homes.joined(separator: ", "))); move the dest under a home in playbooks/site.yaml"
        case .insideProtected(let path, let protected):
            return "\(path) is inside the protected path \(protected); overlay never writes there — change the dest"
        case .unnormalizedPath(let path):
            return "\(path) is not a plain absolute path (it has '..', '.' or an empty component); write the dest without them"
        case .symlinkInPath(let path, let link, let target):
            return
                "\(path): \(link) is a symlink (to \(target)); overlay never follows a symlink inside a home — replace it with a real folder or change the dest"
        case .insideStateDir(let path, let stateDir):
            return
                "\(path) would write into overlay's state dir \(stateDir) (generations, the ledger, the lock); change the dest, or move the state dir out of the home (overlay_state_dir / $OVERLAY_STATE_DIR)"
        case .unsafeHome(_, _, let reason):
            return reason
        case .homeIsSymlink(let home, let target):
            return
                "home \(home) is a symlink (to \(target)); overlay never follows a symlink out of a home — declare the real folder (\(target)) as the home, or replace the link with a folder"
        case .directoryInTheWay(let path):
            return "\(path) is a folder on disk but a managed file in the overlay; move the folder away or change the dest"
        case .unmanagedReplacement(let paths):
            return
                "managed path(s) replaced by unmanaged files: \(paths.joined(separator: ", ")); check them, then re-run with --force to back them up and restore overlay's version"
        case .lockTimeout(let path, let seconds):
            return "another overlay process holds \(path) (waited \(Self.seconds(seconds))); wait for it or raise --lock-timeout"
        case .vetoed(let reason):
            return reason
        case .noSuchGeneration(let n):
            return "generation \(n) does not exist; see 'overlay generations'"
        case .generationChanged(let n, let paths):
            return
                "generation \(n) was changed after it was built (\(paths.joined(separator: ", ")) no longer match its record, e.g. edited through a symlink); rolling back to it would make those edits live — pick another generation ('overlay generations') or re-run with --force to use it as it is"
        case .nothingToRollBack(let why):
            return "nothing to roll back to: \(why)"
        case .corruptState(let path, let reason):
            return "\(path) is unreadable (\(reason)); move it away and re-run apply"
        case .io(let op, let path, let code):
            return "\(op) \(path): \(ErrnoText.describe(code))"
        case .noSpace(let path, let needed, let free, let unit):
            let amounts =
                unit == "bytes" ? "\(Self.bytes(needed)) with a margin, \(Self.bytes(free)) free" : "\(needed) inodes, \(free) free"
            return
                "not enough room in \(path) for the new generation (\(amounts)); free some space or keep fewer generations (--keep), then run again"
        case .afterSwitch(let generation, let paths, let underlying, let rerun):
            let live = generation.map { "generation \($0) is live" } ?? "no generation is live"
            return
                "\(live) but \(paths.joined(separator: ", ")) could not be placed: \(underlying.description); fix the cause and run '\(rerun)' again"
        }
    }

    /// `15.2 MB`, `812 KB`, `96 bytes`.
    static func bytes(_ n: Int64) -> String {
        if n >= 1_000_000 { return String(format: "%.1f MB", Double(n) / 1_000_000) }
        if n >= 1_000 { return "\(n / 1_000) KB" }
        return "\(n) bytes"
    }

    private static func seconds(_ s: Double) -> String {
        s == s.rounded() ? "\(Int(s))s" : "\(s)s"
    }
}

import Foundation
import OverlayCore

#if canImport(Glibc)
    import Glibc
#endif

/// What the heartbeat stamp showed when a check read it. Only its mtime counts: the agent
/// proves it is alive by rewriting the stamp, whatever it writes into it.
public enum StampReading: Sendable, Equatable {
    /// A regular file, last written at this time.
    case written(Date)
    /// Nothing at the path (a dangling symlink included).
    case missing
    /// Something that is no heartbeat: a folder, a device, a path the check may not look at.
    /// The check takes no action on it (it says why).
    case unusable(String)

    /// Reads the stamp at `path`, following a symlink as any reader of the file would.
    public static func read(_ path: String) -> StampReading {
        var st = stat()
        guard stat(path, &st) == 0 else {
            let code = errno
            if code == ENOENT { return .missing }
            return .unusable(
                "cannot look at the stamp \(path): \(ErrnoText.describe(code)); give the agent's user access to it and its folders"
            )
        }
        switch st.st_mode & S_IFMT {
        case S_IFREG:
            return .written(Date(timeIntervalSince1970: TimeInterval(st.st_mtim.tv_sec) + TimeInterval(st.st_mtim.tv_nsec) / 1e9))
        case S_IFDIR:
            return .unusable("the stamp \(path) is a folder, not a file; remove it so the agent's heartbeat can write the stamp")
        default:
            return .unusable("the stamp \(path) is not a regular file; remove it so the agent's heartbeat can write the stamp")
        }
    }

    /// Why another local user could create, fake or block the stamp at `path`, or nil: its
    /// folder is writable by everyone, a folder above it is writable by everyone without the
    /// sticky bit (anyone can rename it away), or a folder on the way belongs to another user
    /// (who created it first in a shared folder such as /tmp).
    public static func sharedFolderProblem(above path: String) -> String? {
        var folder = (path as NSString).deletingLastPathComponent
        var isParent = true
        while !folder.isEmpty {
            var st = stat()
            if stat(folder, &st) == 0, st.st_mode & S_IFMT == S_IFDIR {
                if st.st_mode & S_IWOTH != 0 && (isParent || st.st_mode & S_ISVTX == 0) {
                    return "\(folder) is writable by every local user"
                }
                if st.st_uid != 0 && st.st_uid != geteuid() { return "\(folder) belongs to another user (uid \(st.st_uid))" }
            }
            if folder == "/" { return nil }
            folder = (folder as NSString).deletingLastPathComponent
            isParent = false
        }
        return nil
    }
}

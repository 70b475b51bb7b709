import Foundation
import OverlayCore

#if canImport(Glibc)
    import Glibc
#endif

/// Why a heartbeat could not be written.
public enum HeartbeatError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A folder is where the stamp should be.
    case isFolder(path: String)
    /// A system call failed.
    case io(operation: String, path: String, reason: String)

    public var description: String {
        switch self {
        case .isFolder(let path):
            return "the stamp \(path) is a folder; remove it or pass another --stamp"
        case .io(let operation, let path, let reason):
            return "cannot write the stamp \(path) (\(operation): \(reason)); check its folder belongs to the agent's user"
        }
    }
}

/// `overlay heartbeat`: the stamp rewritten atomically (a temporary sibling renamed over it),
/// its mtime set to the heartbeat's time, so a check never sees a half-written stamp and
/// two heartbeats at once cannot clash.
public enum Heartbeat {
    /// Writes the stamp at `path` as of `time`, creating its missing folders (0700).
    public static func write(stamp path: String, at time: Date) throws(HeartbeatError) {
        var st = stat()
        if stat(path, &st) == 0, st.st_mode & S_IFMT == S_IFDIR { throw .isFolder(path: path) }
        let folder = (path as NSString).deletingLastPathComponent
        do { try POSIX.makeDirectories(folder, mode: 0o700) } catch { throw .io(operation: "mkdir", path: path, reason: error.description) }
        let tmp = folder + "/." + (path as NSString).lastPathComponent + ".heartbeat-\(getpid())"
        unlink(tmp)
        let fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw failure("create", path) }
        let text = Array((UTCTimestamp.string(time) + "\n").utf8)
        let seconds = time.timeIntervalSince1970.rounded(.down)
        var times = [
            timespec(tv_sec: Int(seconds), tv_nsec: Int((time.timeIntervalSince1970 - seconds) * 1e9)),
            timespec(tv_sec: Int(seconds), tv_nsec: Int((time.timeIntervalSince1970 - seconds) * 1e9)),
        ]
        let written = text.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
        let ok = written == text.count && fchmod(fd, 0o644) == 0 && futimens(fd, &times) == 0
        let code = errno
        close(fd)
        guard ok else {
            unlink(tmp)
            throw .io(operation: "write", path: path, reason: ErrnoText.describe(code))
        }
        guard rename(tmp, path) == 0 else {
            let error = failure("rename", path)
            unlink(tmp)
            throw error
        }
    }

    private static func failure(_ operation: String, _ path: String) -> HeartbeatError {
        let code = errno
        var reason = ErrnoText.describe(code)
        if code == EPERM || code == EACCES {
            reason += "; another user may own the stamp or its folder (a shared folder such as /tmp)"
        }
        return .io(operation: operation, path: path, reason: reason)
    }
}

import Foundation
import OverlayCore

#if canImport(Glibc)
    import Glibc
#endif

/// Refuses to start a run that would run out of descriptors half-way.
///
/// A converge applies `--forks` hosts in one process; each apply holds a few descriptors at
/// once (the state lock, the crontab lock, a file, a child's three). When the limit is close,
/// the run stops before its first change with the limit named, rather than failing after the
/// switch with the crontab not installed.
enum OpenFiles {
    /// Descriptors one apply needs free when it starts.
    static let headroom = 12

    /// Throws EMFILE (described with the limit and the fix) when fewer than `headroom`
    /// descriptors are free.
    static func requireHeadroom(for path: String) throws(ApplyError) {
        let limit = ErrnoText.openFileLimit()
        guard limit > 0, limit < 1 << 20 else { return }
        let dir = opendir("/proc/self/fd")
        guard let dir else {
            if errno == EMFILE || errno == ENFILE { throw .io(operation: "start a run in", path: path, errno: errno) }
            return
        }
        defer { closedir(dir) }
        var open = 0
        while readdir(dir) != nil { open += 1 }
        // ".", ".." and the descriptor of the listing itself are not in use by the run.
        open -= 3
        if UInt64(open + headroom) > limit { throw .io(operation: "start a run in", path: path, errno: EMFILE) }
    }
}

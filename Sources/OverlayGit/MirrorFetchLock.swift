import Foundation

/// One fetch into a mirror at a time, across threads and processes: an `flock` on a file
/// next to the mirror (`.NAME.fetch-lock`). libgit2 would otherwise fail a second fetch
/// that reaches a ref while the first holds its lock file.
struct MirrorFetchLock {
    private let fd: Int32

    /// Waits up to `timeout` for the lock of `mirror`.
    init(mirror: String, timeout: Duration) throws(GitError) {
        let parent = (mirror as NSString).deletingLastPathComponent
        let path = parent + "/." + (mirror as NSString).lastPathComponent + ".fetch-lock"
        try? FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
        fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard fd >= 0 else { throw .io(operation: "open", path: path, errno: errno) }
        let start = ContinuousClock.now
        while flock(fd, LOCK_EX | LOCK_NB) != 0 {
            guard errno == EWOULDBLOCK || errno == EINTR else {
                let code = errno
                close(fd)
                throw .io(operation: "flock", path: path, errno: code)
            }
            guard ContinuousClock.now - start < timeout else {
                close(fd)
                throw .mirrorBusy(mirror: mirror, waited: timeout)
            }
            usleep(5_000)
        }
    }

    /// Lets the next fetch in.
    func release() { close(fd) }
}

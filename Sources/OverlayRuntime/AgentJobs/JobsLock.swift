import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The harness's writer lock: an exclusive `flock` on `<home>/cron/.jobs.lock`, the same
/// advisory lock `hermes cron …`, the gateway's ticker and the agent's cron tool take around
/// every read-modify-write of `jobs.json`. Waited for with a bound (the harness's own is 30 s).
final class JobsLock {
    private var fd: Int32

    private init(fd: Int32) { self.fd = fd }

    static func acquire(_ path: String, timeout: Double) throws(AgentJobsError) -> JobsLock {
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o600)
        if fd < 0 { throw .io(operation: "open", path: path, errno: errno) }
        let deadline = Date().addingTimeInterval(max(timeout, 0))
        while flock(fd, LOCK_EX | LOCK_NB) != 0 {
            if errno != EWOULDBLOCK && errno != EINTR {
                let code = errno
                close(fd)
                throw .io(operation: "flock", path: path, errno: code)
            }
            if Date() >= deadline {
                close(fd)
                throw .lockTimeout(path: path, seconds: timeout)
            }
            usleep(20_000)
        }
        return JobsLock(fd: fd)
    }

    func release() {
        if fd >= 0 {
            flock(fd, LOCK_UN)
            close(fd)
            fd = -1
        }
    }

    deinit { release() }
}

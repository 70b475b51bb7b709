import Foundation
import OverlayCore

/// One run per playbook at a time: an exclusive `flock` on `jobs/locks/<playbook>.lock`,
/// held for the whole run. The kernel drops it when the runner dies, so a SIGKILLed run
/// never leaves a stale lock; the steps it started do not hold it (they inherit no
/// descriptor of ours), which is why a resume also checks for their processes.
final class RunLock {
    private var fd: Int32

    private init(fd: Int32) { self.fd = fd }

    /// Takes the lock, polling until `timeout` seconds have passed. `holder` names the run
    /// holding it, for the message.
    static func acquire(path: String, playbook: String, timeout: Double, holder: () -> Int64?) throws(JobsError) -> RunLock {
        let dir = (path as NSString).deletingLastPathComponent
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw .io("cannot open the lock \(path): \(ErrnoText.describe(errno))") }
        let start = Date()
        while flock(fd, LOCK_EX | LOCK_NB) != 0 {
            guard errno == EWOULDBLOCK || errno == EINTR else {
                let code = errno
                close(fd)
                throw .io("cannot lock \(path): \(ErrnoText.describe(code))")
            }
            if Date().timeIntervalSince(start) >= max(timeout, 0) {
                close(fd)
                throw .lockHeld(playbook: playbook, run: holder(), waited: timeout)
            }
            usleep(20_000)
        }
        return RunLock(fd: fd)
    }

    /// Releases the lock (also released when the process exits).
    func release() {
        guard fd >= 0 else { return }
        flock(fd, LOCK_UN)
        close(fd)
        fd = -1
    }

    deinit { release() }
}

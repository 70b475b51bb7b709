import Foundation
import OverlayCore
import OverlayRuntime

/// A step's `resource:` held host-wide: an exclusive `flock` on
/// `jobs/resources/<resource>.lock` while the step runs, so steps naming the same resource
/// never overlap — in one run, across runs, across playbooks. The holder writes who it is
/// into the file, for the waiter's message. The kernel drops the lock when the runner dies.
final class ResourceLock {
    /// How a wait for the lock ended.
    enum Outcome {
        case acquired(ResourceLock)
        case cancelled
        /// `limit` passed; the holder as its file names it, when it does.
        case timedOut(holder: String?)
        case failed(String)
    }

    private var fd: Int32

    private init(fd: Int32) { self.fd = fd }

    /// Takes the lock at `path`, polling until `limit` passes or the run is cancelled.
    /// `onWait` is called once, with the holder, when the lock is busy.
    static func acquire(
        path: String, holder: String, limit: Duration, cancellation: ChildCancellation, onWait: (String?) -> Void
    ) -> Outcome {
        try? FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true,
            attributes: [.posixPermissions: 0o700])
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { return .failed("cannot open the resource lock \(path): \(ErrnoText.describe(errno))") }
        let deadline = ContinuousClock.now + limit
        var waited = false
        while flock(fd, LOCK_EX | LOCK_NB) != 0 {
            guard errno == EWOULDBLOCK || errno == EINTR else {
                let message = "cannot lock \(path): \(ErrnoText.describe(errno))"
                close(fd)
                return .failed(message)
            }
            if !waited {
                waited = true
                onWait(currentHolder(path))
            }
            if cancellation.isCancelled || ContinuousClock.now >= deadline {
                let holder = currentHolder(path)
                close(fd)
                return cancellation.isCancelled ? .cancelled : .timedOut(holder: holder)
            }
            usleep(50_000)
        }
        _ = ftruncate(fd, 0)
        let text = Array(holder.utf8)
        _ = text.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) }
        return .acquired(ResourceLock(fd: fd))
    }

    /// Who holds the lock, as its file says ("run 3 of playbook eval, step score").
    static func currentHolder(_ path: String) -> String? {
        guard let data = FileManager.default.contents(atPath: path), data.count <= 4096 else { return nil }
        let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? nil : text
    }

    /// Releases the lock (also released when the process exits).
    func release() {
        guard fd >= 0 else { return }
        _ = ftruncate(fd, 0)
        flock(fd, LOCK_UN)
        close(fd)
        fd = -1
    }

    deinit { release() }
}

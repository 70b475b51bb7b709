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

    private let lock: FlockFile

    private init(lock: FlockFile) { self.lock = lock }

    /// Takes the lock at `path`, polling until `limit` passes or the run is cancelled.
    /// `onWait` is called once, with the holder, when the lock is busy.
    static func acquire(
        path: String, holder: String, limit: Duration, cancellation: ChildCancellation, onWait: (String?) -> Void
    ) -> Outcome {
        try? FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true,
            attributes: [.posixPermissions: 0o700])
        let waited = FlockFile.acquire(
            path, timeout: limit, poll: .milliseconds(50), stop: { cancellation.isCancelled }, onFirstWait: { onWait(currentHolder(path)) })
        switch waited {
        case .success(let lock):
            _ = ftruncate(lock.fd, 0)
            let text = Array(holder.utf8)
            _ = text.withUnsafeBytes { pwrite(lock.fd, $0.baseAddress, $0.count, 0) }
            return .acquired(ResourceLock(lock: lock))
        case .failure(.open(let code)): return .failed("cannot open the resource lock \(path): \(ErrnoText.describe(code))")
        case .failure(.lock(let code)): return .failed("cannot lock \(path): \(ErrnoText.describe(code))")
        case .failure(.stopped): return .cancelled
        case .failure(.timedOut): return .timedOut(holder: currentHolder(path))
        }
    }

    /// Who holds the lock, as its file says ("run 3 of playbook eval, step score").
    static func currentHolder(_ path: String) -> String? {
        guard let data = FileManager.default.contents(atPath: path), data.count <= 4096 else { return nil }
        let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? nil : text
    }

    /// Releases the lock (also released when the process exits).
    func release() {
        if lock.fd >= 0 { _ = ftruncate(lock.fd, 0) }
        lock.release()
    }

    deinit { release() }
}

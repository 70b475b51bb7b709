import Foundation
import OverlayCore
import OverlayRuntime

/// One run per playbook at a time: an exclusive `flock` on `jobs/locks/<playbook>.lock`,
/// held for the whole run. The kernel drops it when the runner dies, so a SIGKILLed run
/// never leaves a stale lock; the steps it started do not hold it (they inherit no
/// descriptor of ours), which is why a resume also checks for their processes.
final class RunLock {
    private let lock: FlockFile

    private init(lock: FlockFile) { self.lock = lock }

    /// Takes the lock, polling until `timeout` seconds have passed. `holder` names the run
    /// holding it, for the message.
    static func acquire(path: String, playbook: String, timeout: Double, holder: () -> Int64?) throws(JobsError) -> RunLock {
        let dir = (path as NSString).deletingLastPathComponent
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        switch FlockFile.acquire(path, timeout: FlockFile.timeout(seconds: timeout), poll: .milliseconds(20)) {
        case .success(let lock): return RunLock(lock: lock)
        case .failure(.open(let code)): throw .io("cannot open the lock \(path): \(ErrnoText.describe(code))")
        case .failure(.lock(let code)): throw .io("cannot lock \(path): \(ErrnoText.describe(code))")
        case .failure(.timedOut), .failure(.stopped): throw .lockHeld(playbook: playbook, run: holder(), waited: timeout)
        }
    }

    /// Releases the lock (also released when the process exits).
    func release() { lock.release() }
}

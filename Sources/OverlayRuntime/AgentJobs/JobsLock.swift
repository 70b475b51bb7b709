import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The harness's writer lock: an exclusive `flock` on `<home>/cron/.jobs.lock`, the same
/// advisory lock `hermes cron …`, the gateway's ticker and the agent's cron tool take around
/// every read-modify-write of `jobs.json`. Waited for with a bound (the harness's own is 30 s).
final class JobsLock {
    private let lock: FlockFile

    private init(lock: FlockFile) { self.lock = lock }

    static func acquire(_ path: String, timeout: Double) throws(AgentJobsError) -> JobsLock {
        let waited = FlockFile.acquire(path, extraFlags: O_NOFOLLOW, timeout: FlockFile.timeout(seconds: timeout), poll: .milliseconds(20))
        switch waited {
        case .success(let lock): return JobsLock(lock: lock)
        case .failure(.open(let code)): throw .io(operation: "open", path: path, errno: code)
        case .failure(.lock(let code)): throw .io(operation: "flock", path: path, errno: code)
        case .failure(.timedOut), .failure(.stopped): throw .lockTimeout(path: path, seconds: timeout)
        }
    }

    func release() { lock.release() }
}

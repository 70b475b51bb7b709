import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// One apply at a time per state dir: an exclusive `flock` on `<state>/lock`.
///
/// The kernel drops the lock when the holder dies, so a SIGKILLed apply never
/// leaves a stale lock behind.
public final class StateLock {
    private let lock: FlockFile

    private init(lock: FlockFile) { self.lock = lock }

    /// Takes the lock, polling until `timeout` seconds have passed (then `.lockTimeout`).
    public static func acquire(_ state: StateDirectory, timeout: Double) throws(ApplyError) -> StateLock {
        try state.prepare()
        return try acquire(file: state.lockPath, timeout: timeout)
    }

    /// Takes another lock of the state dir (`pull.lock`: one pull at a time, independent of
    /// the apply lock the pull itself takes later).
    public static func acquire(_ state: StateDirectory, named name: String, timeout: Double) throws(ApplyError) -> StateLock {
        try state.prepare()
        return try acquire(file: state.path + "/" + name, timeout: timeout)
    }

    /// Takes an exclusive lock on `path` (created 0600 in an existing folder), polling until
    /// `timeout` seconds have passed: for the state dir's other locks (`deadman.lock`).
    public static func acquire(file path: String, timeout: Double) throws(ApplyError) -> StateLock {
        switch FlockFile.acquire(path, timeout: FlockFile.timeout(seconds: timeout), poll: .milliseconds(10)) {
        case .success(let lock): return StateLock(lock: lock)
        case .failure(.open(let code)): throw .io(operation: "open", path: path, errno: code)
        case .failure(.lock(let code)): throw .io(operation: "flock", path: path, errno: code)
        case .failure(.timedOut), .failure(.stopped): throw .lockTimeout(path: path, seconds: timeout)
        }
    }

    /// Releases the lock (also released when the process exits).
    public func release() { lock.release() }
}

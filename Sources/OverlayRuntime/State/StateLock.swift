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
    private var fd: Int32

    private init(fd: Int32) { self.fd = fd }

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
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
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
            usleep(10_000)
        }
        return StateLock(fd: fd)
    }

    /// Releases the lock (also released when the process exits).
    public func release() {
        if fd >= 0 {
            flock(fd, LOCK_UN)
            close(fd)
            fd = -1
        }
    }

    deinit { release() }
}

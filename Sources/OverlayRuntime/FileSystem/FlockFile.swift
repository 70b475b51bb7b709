import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// An exclusive `flock` on a file: every lock overlay takes (a state dir's, the harness's
/// `jobs.json` writer lock, a job run's, a step's resource). Taken by polling, so a wait has a
/// bound and can be given up; dropped by the kernel when the holder dies, so a SIGKILLed
/// holder never leaves a stale lock. The callers turn a `Failure` into their own error.
public final class FlockFile {
    /// Why the lock was not taken.
    public enum Failure: Error, Equatable {
        /// `open` failed with this errno.
        case open(Int32)
        /// `flock` failed with this errno (not because another process holds the lock).
        case lock(Int32)
        /// Another process still held it when the time was up.
        case timedOut
        /// `stop` said to give up.
        case stopped
    }

    /// The open descriptor (the resource lock writes its holder into the file).
    public private(set) var fd: Int32

    private init(fd: Int32) { self.fd = fd }

    /// Takes the lock on `path` (created 0600), polling every `poll` until `timeout` passes
    /// or `stop` returns true. `onFirstWait` is called once when the lock is busy.
    public static func acquire(
        _ path: String, extraFlags: Int32 = 0, timeout: Duration, poll: Duration,
        stop: () -> Bool = { false }, onFirstWait: () -> Void = {}
    ) -> Result<FlockFile, Failure> {
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | extraFlags, 0o600)
        guard fd >= 0 else { return .failure(.open(errno)) }
        let deadline = ContinuousClock.now + max(timeout, .zero)
        var waited = false
        while flock(fd, LOCK_EX | LOCK_NB) != 0 {
            let code = errno
            guard code == EWOULDBLOCK || code == EINTR else {
                close(fd)
                return .failure(.lock(code))
            }
            if !waited {
                waited = true
                onFirstWait()
            }
            if stop() {
                close(fd)
                return .failure(.stopped)
            }
            if ContinuousClock.now >= deadline {
                close(fd)
                return .failure(.timedOut)
            }
            let (seconds, attoseconds) = poll.components
            usleep(useconds_t(max(seconds * 1_000_000 + attoseconds / 1_000_000_000_000, 1_000)))
        }
        return .success(FlockFile(fd: fd))
    }

    /// Releases the lock (also released when the process exits).
    public func release() {
        guard fd >= 0 else { return }
        flock(fd, LOCK_UN)
        close(fd)
        fd = -1
    }

    deinit { release() }

    /// A timeout given in seconds (a flag's value) as a Duration: negative or NaN is none,
    /// anything beyond a year is a year.
    public static func timeout(seconds: Double) -> Duration {
        guard seconds > 0 else { return .zero }
        return .milliseconds(Int64(min(seconds, 31_536_000) * 1000))
    }
}


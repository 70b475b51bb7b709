import CSpawn
import Foundation
import OverlayCore

/// How a child ended.
public struct ChildResult: Sendable, Equatable {
    /// The exit code, or 128 + the signal number when a signal ended it (as shells report it).
    public var status: Int32
    /// Standard output; with `mergeErrors`, standard error too, interleaved as written.
    public var output: Data
    /// Standard error, unless it was merged into `output`.
    public var errors: Data
    /// True when the time limit ran out and the child's process group was killed.
    public var timedOut: Bool
    /// True when `cancellation` fired and the child's process group was killed.
    public var cancelled = false
    /// True when standard output held more than `outputLimit` bytes: `output` is its start.
    public var outputTruncated = false
    /// True when the child wrote more than `diskLimit` bytes and its group was killed.
    public var overflowed = false
}

/// A request, from any thread, to end a running `ChildProcess` the way its time limit
/// would: SIGTERM to its group, SIGKILL after the grace period.
public final class ChildCancellation: @unchecked Sendable {
    private let lock = NSLock()
    private var requested = false

    public init() {}

    private var groups: Set<pid_t> = []

    /// Asks the child (and any later child given this token) to stop: its process group gets
    /// SIGTERM at once, from the cancelling thread (a server shutting down may exit before the
    /// waiting thread next looks), and the wait escalates to SIGKILL as for a time limit.
    public func cancel() {
        lock.lock()
        requested = true
        for group in groups { kill(-group, SIGTERM) }
        lock.unlock()
    }

    /// A started child whose group `cancel()` signals (until `untrack`).
    func track(_ pid: pid_t) {
        lock.lock()
        groups.insert(pid)
        if requested { kill(-pid, SIGTERM) }
        lock.unlock()
    }

    /// The child was reaped: its group id may be reused, so it is no longer signalled.
    func untrack(_ pid: pid_t) {
        lock.lock()
        groups.remove(pid)
        lock.unlock()
    }

    /// True once `cancel()` was called.
    public var isCancelled: Bool {
        lock.lock()
        defer { lock.unlock() }
        return requested
    }
}

public enum ChildProcessError: Error, Equatable, CustomStringConvertible {
    case cannotStart(path: String, errno: Int32)
    case io(String)

    public var description: String {
        switch self {
        case .cannotStart(let path, let code): "cannot start \(path): \(ErrnoText.describe(code))"
        case .io(let message): message
        }
    }
}

/// One command run to completion, the way overlay runs every command it does not own
/// (handlers, `crontab`, restarts): in its own session and process group, with no
/// descriptor of ours but the three it is given, its input and output in unlinked files
/// rather than pipes, and an optional time limit after which the whole group gets
/// SIGTERM and, after a grace period, SIGKILL.
///
/// Files instead of pipes, and no inherited descriptors, are what keep overlay from
/// hanging when a command leaves a daemon behind (`cron`, `nohup agent &`): the daemon
/// keeps its copies of the files, and nothing of ours waits for it to close them.
public struct ChildProcess: Sendable {
    public var executable: String
    public var arguments: [String]
    /// The child's whole environment; nil passes ours.
    public var environment: [String: String]?
    public var input: Data?
    public var mergeErrors = false
    public var timeout: Duration?
    public var killGrace: Duration = .seconds(2)
    /// Output beyond this many bytes (per stream) is left unread; 0 reads none back (with
    /// `appendOutputTo`, a step's log that may be gigabytes).
    public var outputLimit = ChildProcess.defaultOutputLimit
    /// What `outputLimit` is unless a caller sets it: 8 MiB.
    public static let defaultOutputLimit = 8 << 20
    /// When set, a child whose standard output or error (kept in scratch files) grows past
    /// this many bytes is stopped as a time limit would stop it (`overflowed`): a remote that
    /// prints without end must not fill this machine's disk.
    public var diskLimit: Int?
    /// When set, standard output (and merged errors) is appended to this file (created 0600)
    /// instead of a scratch file, and `output` is what this run appended: anything the
    /// command leaves running keeps writing to a file a person can find, not a deleted one.
    public var appendOutputTo: String?
    /// The child's working directory (nil: ours). One that cannot be entered is `cannotStart`.
    public var workingDirectory: String?
    /// Called with the child's pid (also its process group id) right after it started, on
    /// the thread that runs it: to record it where another process can find it.
    public var onStart: (@Sendable (Int32) -> Void)?
    /// When cancelled, the child's group is ended as if its time limit had passed.
    public var cancellation: ChildCancellation?
    /// When set, standard output and errors go straight to this process's standard error
    /// (for a handler whose log cannot be opened); `output` is then empty.
    public var outputToStandardError = false

    public init(_ executable: String, _ arguments: [String] = [], environment: [String: String]? = nil, input: Data? = nil) {
        self.executable = executable
        self.arguments = arguments
        self.environment = environment
        self.input = input
    }

    /// `/bin/sh -c COMMAND`.
    public static func shell(_ command: String, environment: [String: String]? = nil) -> ChildProcess {
        ChildProcess("/bin/sh", ["-c", command], environment: environment)
    }

    public func run() throws(ChildProcessError) -> ChildResult {
        let scratch = FileManager.default.temporaryDirectory.path
        let stdin = try openInput(scratch)
        defer { close(stdin) }
        if outputToStandardError {
            let pid = try spawn(stdin: stdin, stdout: STDERR_FILENO, stderr: STDERR_FILENO)
            onStart?(pid)
            cancellation?.track(pid)
            let end = wait(for: pid, watching: [])
            cancellation?.untrack(pid)
            return ChildResult(
                status: end.status, output: Data(), errors: Data(), timedOut: end.killed && !end.cancelled && !end.overflowed,
                cancelled: end.cancelled)
        }
        let stdout: Int32
        if let appendOutputTo { stdout = try openLog(appendOutputTo) } else { stdout = try anonymousFile(scratch) }
        defer { close(stdout) }
        let start = lseek(stdout, 0, SEEK_END)
        let stderr = mergeErrors ? stdout : try anonymousFile(scratch)
        defer { if stderr != stdout { close(stderr) } }

        let pid = try spawn(stdin: stdin, stdout: stdout, stderr: stderr)
        onStart?(pid)
        cancellation?.track(pid)
        let end = wait(for: pid, watching: appendOutputTo == nil ? [stdout, stderr] : [stderr])
        cancellation?.untrack(pid)
        let output = readAll(stdout, from: max(start, 0))
        var result = ChildResult(
            status: end.status, output: output, errors: stderr == stdout ? Data() : readAll(stderr),
            timedOut: end.killed && !end.cancelled && !end.overflowed, cancelled: end.cancelled)
        result.overflowed = end.overflowed
        result.outputTruncated = output.count >= outputLimit && Self.size(stdout) > max(start, 0) + off_t(output.count)
        return result
    }

    private func openInput(_ scratch: String) throws(ChildProcessError) -> Int32 {
        guard let input else {
            let fd = open("/dev/null", O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else { throw .io("cannot open /dev/null: \(ErrnoText.describe(errno))") }
            return fd
        }
        let fd = try anonymousFile(scratch)
        let written = input.withUnsafeBytes { raw in raw.isEmpty ? 0 : write(fd, raw.baseAddress, raw.count) }
        guard written == input.count, lseek(fd, 0, SEEK_SET) == 0 else {
            close(fd)
            throw .io("cannot stage the input for \(executable) in \(scratch)")
        }
        return fd
    }

    private func openLog(_ path: String) throws(ChildProcessError) -> Int32 {
        // Read-write, so what this run appended can be read back with pread.
        let fd = open(path, O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw .io("cannot open \(path) for the output of \(executable): \(ErrnoText.describe(errno))") }
        return fd
    }

    private func anonymousFile(_ scratch: String) throws(ChildProcessError) -> Int32 {
        let fd = overlay_anonymous_file(scratch)
        guard fd >= 0 else { throw .io("cannot create a scratch file in \(scratch): \(ErrnoText.describe(errno))") }
        return fd
    }

    private func spawn(stdin: Int32, stdout: Int32, stderr: Int32) throws(ChildProcessError) -> pid_t {
        let argv = CStringArray([executable] + arguments)
        let envp = environment.map { env in CStringArray(env.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }) }
        var pid: pid_t = 0
        let cwd = workingDirectory
        let rc = argv.withPointers { args in
            if let envp {
                return envp.withPointers { env in overlay_spawn_in(executable, args, env, cwd, stdin, stdout, stderr, &pid) }
            }
            return overlay_spawn_in(executable, args, nil, cwd, stdin, stdout, stderr, &pid)
        }
        guard rc == 0 else { throw .cannotStart(path: executable, errno: rc) }
        return pid
    }

    /// Polls for the child's end (no SIGCHLD handler to share with anyone), killing its
    /// group when the time limit passes or the run is cancelled.
    private func wait(for pid: pid_t, watching files: [Int32]) -> (status: Int32, killed: Bool, cancelled: Bool, overflowed: Bool) {
        let start = ContinuousClock.now
        var pause: UInt32 = 200
        var killedAt: ContinuousClock.Instant?
        var cancelled = false
        var overflowed = false
        while true {
            var raw: Int32 = 0
            let r = waitpid(pid, &raw, WNOHANG)
            if r == pid {
                // `cancel()` may have signalled the group itself before this loop looked.
                let status = Self.decode(raw)
                if !cancelled && status != 0 && cancellation?.isCancelled == true { return (status, true, true, overflowed) }
                return (status, killedAt != nil, cancelled, overflowed)
            }
            if r < 0 && errno != EINTR { return (127, killedAt != nil, cancelled, overflowed) }
            let now = ContinuousClock.now
            if killedAt == nil, cancellation?.isCancelled == true {
                cancelled = true
                kill(-pid, SIGTERM)
                killedAt = now
            } else if let timeout, killedAt == nil, now - start >= timeout {
                kill(-pid, SIGTERM)
                killedAt = now
            } else if let diskLimit, killedAt == nil, files.contains(where: { Self.size($0) > off_t(diskLimit) }) {
                overflowed = true
                kill(-pid, SIGTERM)
                killedAt = now
            } else if let killedAt, now - killedAt >= killGrace {
                kill(-pid, SIGKILL)
                var final: Int32 = 0
                while waitpid(pid, &final, 0) < 0 && errno == EINTR {}
                return (Self.decode(final), true, cancelled, overflowed)
            }
            usleep(pause)
            pause = min(pause * 2, 20_000)
        }
    }

    /// Exit code, or 128 + signal, from a `waitpid` status.
    static func decode(_ raw: Int32) -> Int32 {
        let signal = raw & 0x7f
        return signal == 0 ? (raw >> 8) & 0xff : 128 + signal
    }

    /// The size of an open file (0 when it cannot be told).
    static func size(_ fd: Int32) -> off_t {
        var st = stat()
        return fstat(fd, &st) == 0 ? st.st_size : 0
    }

    private func readAll(_ fd: Int32, from start: off_t = 0) -> Data {
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 64 << 10)
        var offset = start
        while data.count < outputLimit {
            let n = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, min($0.count, outputLimit - data.count), offset) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { break }
            data.append(contentsOf: buffer[0..<n])
            offset += off_t(n)
        }
        return data
    }
}

/// A NULL-terminated `char *[]` that lives as long as this value.
private final class CStringArray {
    private var pointers: [UnsafeMutablePointer<CChar>?]

    init(_ strings: [String]) {
        pointers = strings.map { strdup($0) } + [nil]
    }

    deinit { for p in pointers { free(p) } }

    /// The array always holds at least its NULL terminator, so the address is never nil.
    func withPointers<R>(_ body: (UnsafePointer<UnsafeMutablePointer<CChar>?>?) -> R) -> R {
        pointers.withUnsafeBufferPointer { body($0.baseAddress) }
    }
}

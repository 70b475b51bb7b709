import OverlayRuntime

/// Why a deadman command (check, status, reset, install, heartbeat) could not do its work.
public enum DeadmanError: Error, Sendable, CustomStringConvertible {
    /// Another deadman check, reset or install (or an apply) held a lock past the timeout.
    case lockTimeout(path: String, seconds: Double)
    /// `deadman.json` cannot be read or written.
    case record(DeadmanRecordError)
    /// The generations of the state dir cannot be read, or a mark cannot be written.
    case state(ApplyError)
    /// `overlay heartbeat` without `--stamp`, and the live generation names no stamp.
    case noStamp(stateDir: String)
    /// The stamp cannot be written.
    case heartbeat(HeartbeatError)
    /// `overlay deadman install` cannot install the check.
    case install(String)

    public var description: String {
        switch self {
        case .lockTimeout(let path, let seconds):
            return ApplyError.lockTimeout(path: path, seconds: seconds).description
        case .record(let error): return error.description
        case .state(let error): return error.description
        case .noStamp(let dir):
            return
                "no --stamp given, and the live generation of \(dir) declares no deadman stamp; pass --stamp PATH, or --host NAME for a host whose golden state has 'deadman:'"
        case .heartbeat(let error): return error.description
        case .install(let why): return "cannot install the deadman check: \(why)"
        }
    }

    /// The error for a lock that was not granted, or another state error.
    static func from(_ error: ApplyError) -> DeadmanError {
        if case .lockTimeout(let path, let seconds) = error { return .lockTimeout(path: path, seconds: seconds) }
        return .state(error)
    }
}

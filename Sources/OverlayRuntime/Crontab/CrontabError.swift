import Foundation

/// Why a managed-crontab operation failed; nothing was written when one is thrown.
public enum CrontabError: Error, Equatable, CustomStringConvertible {
    /// A target that is neither `user` nor `file:PATH`.
    case invalidTarget(String)
    /// A host name that cannot appear in a marker line.
    case invalidHost(String)
    /// A job whose cron line would not parse; `reason` says what to change.
    case invalidJob(name: String, reason: String)
    /// The user column of a job without `user:` cannot be filled: the effective user's name is
    /// not known (`reason` says why: no passwd entry, or the lookup itself failed).
    case userUnknown(job: String, reason: String)
    /// Two declared jobs share a name.
    case duplicateJob(String)
    /// The existing managed block of the host is broken; `line` is 1-based.
    case damagedBlock(host: String, line: Int, reason: String)
    /// The `crontab` command is not installed.
    case crontabMissing
    /// `crontab` exited non-zero (it also refuses a crontab it cannot parse).
    case crontabFailed(command: String, status: Int32, stderr: String)
    /// `crontab` ran longer than allowed and was killed.
    case timedOut(command: String, seconds: Double)
    /// Reading or writing a `file:` target failed.
    case io(path: String, message: String)

    public var description: String {
        switch self {
        case .invalidTarget(let text):
            return "invalid crontab target '\(text)': use 'user' or 'file:/absolute/path' (host var overlay_crontab or $OVERLAY_CRONTAB)"
        case .invalidHost(let host):
            return
                "host name '\(host)' cannot name a managed crontab block: it must be non-empty and contain no spaces or control characters"
        case .invalidJob(let name, let reason):
            return "cron job '\(name)' would not parse as a crontab line: \(reason); nothing was installed"
        case .userUnknown(let job, let reason):
            return "cron job '\(job)' needs a user column in this crontab: \(reason); nothing was installed"
        case .duplicateJob(let name):
            return "cron job name '\(name)' is declared twice; job names key the managed block and must be unique"
        case .damagedBlock(let host, let line, let reason):
            return "the managed crontab block of host '\(host)' is damaged at line \(line): \(reason); "
                + "fix or delete the block by hand (crontab -e), then run again"
        case .crontabMissing:
            return "the 'crontab' command was not found: install the cron package (apt-get install cron)"
        case .crontabFailed(let command, let status, let stderr):
            let detail = stderr.trimmingCharacters(in: .whitespacesAndNewlines)
            return "'\(command)' failed with exit status \(status)" + (detail.isEmpty ? "" : ": \(detail)")
        case .timedOut(let command, let seconds):
            return "'\(command)' did not finish within \(Int(seconds)) s and was killed"
        case .io(let path, let message):
            return "\(path): \(message)"
        }
    }
}

import Foundation
import OverlayCore

/// Which crontab holds a host's managed block (SPEC §3.3).
public enum CrontabTarget: Sendable, Equatable, CustomStringConvertible {
    /// The current user's crontab, read with `crontab -l` and written with `crontab -`.
    case user
    /// A crontab-format file in /etc/cron.d format (with a user column).
    case file(String)

    /// The host variable that selects the target.
    public static let hostVariable = "overlay_crontab"
    /// The environment variable consulted when the host does not set one.
    public static let environmentVariable = "OVERLAY_CRONTAB"

    /// Parses `user` or `file:PATH` (PATH absolute).
    public init(parsing text: String) throws(CrontabError) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed == "user" {
            self = .user
            return
        }
        guard trimmed.hasPrefix("file:") else { throw .invalidTarget(text) }
        let path = String(trimmed.dropFirst("file:".count))
        guard path.hasPrefix("/"), !path.hasSuffix("/"), !path.contains("\0"), !path.contains("\n") else {
            throw .invalidTarget(text)
        }
        self = .file(path)
    }

    /// The target of a host: its `overlay_crontab` var, else `$OVERLAY_CRONTAB`, else `.user`.
    public static func resolve(hostVars: Value?, environment: [String: String]) throws(CrontabError) -> CrontabTarget {
        if case .object(let pairs)? = hostVars, let value = pairs.last(where: { $0.0 == hostVariable })?.1 {
            guard case .string(let text) = value else { throw .invalidTarget(value.keyString) }
            return try CrontabTarget(parsing: text)
        }
        if let text = environment[environmentVariable], !text.isEmpty {
            return try CrontabTarget(parsing: text)
        }
        return .user
    }

    /// `user` or `file:PATH`, the form the target is written in.
    public var description: String {
        switch self {
        case .user: return "user"
        case .file(let path): return "file:\(path)"
        }
    }

    /// True when lines carry a user column (/etc/cron.d format).
    public var hasUserColumn: Bool {
        if case .file = self { return true }
        return false
    }
}

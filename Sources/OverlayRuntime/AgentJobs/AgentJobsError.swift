import Foundation
import OverlayCore

/// Why the harness's jobs file could not be reconciled. Nothing was written in any case: the
/// file the harness reads is the one that was there.
public enum AgentJobsError: Error, Sendable, Equatable, CustomStringConvertible {
    /// `jobs.json` is not the harness's format (not JSON, a bare list, raw control characters…).
    case corrupt(path: String, reason: String, repair: String)
    /// The harness (or another writer) held `cron/.jobs.lock` past the wait.
    case lockTimeout(path: String, seconds: Double)
    /// `cron/` or `jobs.json` is a symlink: overlay does not write through links in a home.
    case symlink(path: String)
    /// A file-system call failed.
    case io(operation: String, path: String, errno: Int32)
    /// A declared job could not be turned into a harness job (its schedule no longer parses).
    case invalidDeclaration(name: String, reason: String)

    public var description: String {
        switch self {
        case .corrupt(let path, let reason, let repair):
            return "\(path) is not a jobs file the harness wrote: \(reason); \(repair). Nothing was written"
        case .lockTimeout(let path, let seconds):
            return
                "the harness held \(path) for more than \(Self.seconds(seconds)); \(URL(fileURLWithPath: path).deletingLastPathComponent().path)/jobs.json was left as it was — run the apply again when the harness is idle"
        case .symlink(let path):
            return
                "\(path) is a symlink; overlay writes the harness's jobs only into a real file in its home — replace the link with the file it points to"
        case .io(let operation, let path, let code):
            return "\(operation) \(path): \(ErrnoText.describe(code))"
        case .invalidDeclaration(let name, let reason):
            return "agent job '\(name)': \(reason)"
        }
    }

    private static func seconds(_ s: Double) -> String { s == s.rounded() ? "\(Int(s)) s" : String(format: "%.1f s", s) }
}

import CSpawn
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// What an errno value means, in words a user can act on.
///
/// `strerror` may share one buffer between threads (converge applies hosts in parallel),
/// so this goes through `strerror_r`. Running out of descriptors also names the limit and
/// the fix, because "Too many open files" alone does not say which knob to turn.
public enum ErrnoText {
    /// `Permission denied`, `No space left on device`, … for `code`.
    public static func describe(_ code: Int32) -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        let text = buffer.withUnsafeMutableBufferPointer { p -> String in
            guard let base = p.baseAddress else { return "error \(code)" }
            let bytes = UnsafeRawPointer(overlay_strerror(code, base, p.count)).assumingMemoryBound(to: UInt8.self)
            return String(decoding: UnsafeBufferPointer(start: bytes, count: strlen(base)), as: UTF8.self)
        }
        switch code {
        case EMFILE: return "too many open files (limit \(openFileLimit())): lower --forks or raise the limit (ulimit -n)"
        case ENFILE: return "too many open files in the system (\(text)): lower --forks or close other programs"
        default: return text
        }
    }

    /// True when `text` (from `describe`) is a shortage of descriptors, whose fix it already
    /// names — advice about the file itself would mislead.
    public static func isShortage(_ text: String) -> Bool {
        text.lowercased().hasPrefix("too many open files")
    }

    /// The soft limit on open descriptors (`ulimit -n`).
    public static func openFileLimit() -> UInt64 {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return 0 }
        return UInt64(limit.rlim_cur)
    }
}

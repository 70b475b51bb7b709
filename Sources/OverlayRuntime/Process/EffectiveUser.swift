import Foundation
import OverlayCore

#if canImport(Glibc)
    import Glibc
#endif

/// The name of the user overlay runs as, for the user column of a `file:` crontab.
///
/// Looked up with `getpwuid_r`: `getpwuid` returns one static buffer that parallel converge
/// workers overwrite under each other (a host then failed with a whole passwd line as its
/// user name). A successful lookup is kept for the process; a failed one is not, so a
/// passing shortage (no descriptor to open /etc/passwd) does not stick.
public enum EffectiveUser {
    private static let cache = Mutex()

    /// The user name, `$USER` when the uid has no passwd entry, or why neither is known.
    public static func name() -> Result<String, LookupFailure> {
        if let known = cache.value { return .success(known) }
        let uid = geteuid()
        var entry = passwd()
        var found: UnsafeMutablePointer<passwd>?
        var buffer = [CChar](repeating: 0, count: 4096)
        var code: Int32 = ERANGE
        while code == ERANGE && buffer.count <= 1 << 20 {
            code = getpwuid_r(uid, &entry, &buffer, buffer.count, &found)
            if code == ERANGE { buffer = [CChar](repeating: 0, count: buffer.count * 4) }
        }
        if code == 0, found != nil, let raw = entry.pw_name {
            let name = String(cString: raw)
            cache.value = name
            return .success(name)
        }
        if code == 0, let user = ProcessInfo.processInfo.environment["USER"], !user.isEmpty {
            return .success(user)
        }
        return .failure(LookupFailure(uid: uid, errno: code))
    }

    /// Why the user name of `uid` could not be found.
    public struct LookupFailure: Error, CustomStringConvertible {
        public var uid: uid_t
        /// 0: the uid has no passwd entry (and `$USER` is unset).
        public var errno: Int32

        public var description: String {
            errno == 0
                ? "uid \(uid) has no user name (no passwd entry, $USER unset): set the job's user"
                : "cannot look up the user name of uid \(uid): \(ErrnoText.describe(errno))"
        }
    }

    /// One lock-protected slot: the name, once known.
    private final class Mutex: @unchecked Sendable {
        private let lock = NSLock()
        private var stored: String?
        var value: String? {
            get { lock.withLock { stored } }
            set { lock.withLock { stored = newValue } }
        }
    }
}

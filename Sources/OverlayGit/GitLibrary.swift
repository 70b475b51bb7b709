import CLibgit2
import Foundation

/// libgit2's process-wide set-up, done once before the first call that needs it.
enum GitLibrary {
    /// `git_libgit2_init()` runs when this is first read; Swift makes a static `let` run once.
    private static let initialized: Int32 = git_libgit2_init()

    /// Makes sure libgit2 is initialised (cheap after the first call).
    static func ensureInitialized() {
        _ = initialized
    }

    /// What libgit2 said about its last failure on this thread, or a fallback naming the code.
    static func lastError(_ code: Int32) -> String {
        guard let error = git_error_last(), let message = error.pointee.message else {
            return "libgit2 error \(code)"
        }
        let text = String(cString: message).trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? "libgit2 error \(code)" : text
    }
}

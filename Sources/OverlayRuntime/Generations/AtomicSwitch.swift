import Foundation

/// Makes a generation live in one step: `current.tmp` → `generations/N`, renamed over `current`.
enum AtomicSwitch {
    /// Points `current` at generation `n` with a single rename(2), then makes the rename durable.
    /// A failed rename removes `current.tmp`: nothing is left behind.
    static func switchTo(_ n: Int, in state: StateDirectory) throws(ApplyError) {
        let tmp = state.path + "/current.tmp"
        try POSIX.unlinkIfPresent(tmp)
        try POSIX.symlink("generations/\(n)", at: tmp)
        do throws(ApplyError) { try POSIX.rename(tmp, state.currentLink) } catch {
            try? POSIX.unlinkIfPresent(tmp)
            throw error
        }
        try POSIX.fsyncPath(state.path)
    }

    /// The number `current` points at, or nil before the first apply.
    static func current(in state: StateDirectory) -> Int? {
        guard let target = try? POSIX.readLink(state.currentLink) else { return nil }
        return Int((target as NSString).lastPathComponent)
    }
}

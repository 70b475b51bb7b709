import Foundation
import OverlayCore

/// Where overlay keeps generations, the lock, the ledger and logs for one host.
///
/// Layout (docs/apply.md): `lock`, `current` → `generations/N`, `generations/N/`,
/// `generations/.staging-*` while building, `managed.json` (the ledger),
/// `known-good.json`, `backups/`, `logs/`, `pull.json` (the pull record), `deadman.json` and
/// `deadman.lock` (the deadman switch), `mirror.git/`
/// (pull's bare mirror of the overlay repo).
public struct StateDirectory: Sendable, Equatable {
    /// Absolute path of the state dir.
    public let path: String

    /// A state dir at an absolute path.
    public init(path: String) {
        self.path = PathGuard.trimmed(path)
    }

    /// The state dir SPEC §3 names: `$OVERLAY_STATE_DIR`, else `$XDG_STATE_HOME/overlay`, else `~/.local/state/overlay`.
    public static func resolve(
        environment: [String: String], home: String, hostOverride: String? = nil
    )
        -> StateDirectory
    {
        if let o = hostOverride, !o.isEmpty { return StateDirectory(path: expand(o, home: home)) }
        if let s = environment["OVERLAY_STATE_DIR"], !s.isEmpty { return StateDirectory(path: expand(s, home: home)) }
        if let x = environment["XDG_STATE_HOME"], !x.isEmpty { return StateDirectory(path: x + "/overlay") }
        return StateDirectory(path: home + "/.local/state/overlay")
    }

    static func expand(_ p: String, home: String) -> String {
        HomePath.expandTilde(p, home: home, relativeTo: FileManager.default.currentDirectoryPath)
    }

    public var lockPath: String { path + "/lock" }
    public var currentLink: String { path + "/current" }
    public var generationsPath: String { path + "/generations" }
    public var ledgerPath: String { path + "/managed.json" }
    public var knownGoodPath: String { path + "/known-good.json" }
    public var backupsPath: String { path + "/backups" }
    public var logsPath: String { path + "/logs" }
    public var lastConvergePath: String { path + "/last-converge.json" }
    /// What pull remembers: last attempt, applied, rejected and bad commits (`PullRecordStore`).
    public var pullRecordPath: String { path + "/pull.json" }
    /// The deadman's record: episodes, actions, the last check (`DeadmanRecordStore`).
    public var deadmanRecordPath: String { path + "/deadman.json" }
    /// Held by one deadman check, install or reset at a time.
    public var deadmanLockPath: String { path + "/deadman.lock" }
    /// What the deadman's `restart` and `alert` commands printed.
    public var deadmanLogPath: String { logsPath + "/deadman.log" }
    /// Pull's bare mirror of the overlay repo (`GitMirror`).
    public var mirrorPath: String { path + "/mirror.git" }

    /// The folder of generation `n`.
    public func generationPath(_ n: Int) -> String { generationsPath + "/\(n)" }

    /// What a managed symlink in a home points at for `home`/`relative`.
    public func linkTarget(home: String, relative: String) -> String {
        currentLink + "/files/" + home + "/" + relative
    }

    /// Where a backup recorded as `relative` (to the state dir) is now, or nil when it is gone.
    /// Pruning moves `generations/N/backups/<rest>` to `backups/gen-N/<rest>`.
    func locateBackup(_ relative: String) -> String? {
        let direct = path + "/" + relative
        if ((try? POSIX.lstatEntry(direct)) ?? .absent) != .absent { return direct }
        let parts = relative.split(separator: "/", maxSplits: 3, omittingEmptySubsequences: false)
        guard parts.count == 4, parts[0] == "generations", parts[2] == "backups" else { return nil }
        let moved = backupsPath + "/gen-\(parts[1])/" + parts[3]
        return ((try? POSIX.lstatEntry(moved)) ?? .absent) != .absent ? moved : nil
    }

    /// Creates the folders that must exist before anything else.
    func prepare() throws(ApplyError) {
        try POSIX.makeDirectories(path, mode: 0o700)
        try POSIX.makeDirectory(generationsPath, mode: 0o700)
    }
}

import Foundation

/// What happens to one managed path (the `action` of SPEC §3.2's JSON).
public enum ChangeAction: String, Sendable, Codable {
    case created, updated, deleted, unchanged, restored
    /// An unmanaged file was at the dest: kept in the generation as a backup, then replaced.
    case backedUp = "backed-up"
    /// A path that left the overlay, where overlay had backed up a file before first placing its
    /// own: that backup is put back.
    case restoredBackup = "restored-backup"
    /// A path that left the overlay but was changed by someone else: left in place.
    case kept

    /// Which summary counter the action adds to (nil: not counted).
    public var summaryKey: String? {
        switch self {
        case .created, .backedUp: return "created"
        case .updated, .restored: return "updated"
        case .deleted, .restoredBackup: return "deleted"
        case .unchanged: return "unchanged"
        case .kept: return nil
        }
    }
}

/// What the executor does in the home for one path, and when relative to the switch.
enum HomeStep: Sendable, Equatable {
    case none
    /// Create the symlink where nothing is: safe before the switch (it shows the old generation).
    case linkBeforeSwitch
    /// Rename a symlink over what is there, after the switch.
    case linkAfterSwitch
    /// Write-temp-fsync-rename the content, after the switch.
    case copy
    /// Unlink, after the switch.
    case remove
    /// Put the backup at `backupSource` back (write-temp-rename), after the switch.
    case restoreBackup
}

/// One file overlay wants in a home (from a rendered state, or from an old generation on rollback).
public struct TargetFile: Sendable {
    public var dest: String
    public var home: String
    public var relative: String
    /// Hex SHA-256; empty until the plan resolves it.
    public var sha256: String
    public var mode: UInt16
    public var link: Bool
    public var secret: Bool
    /// The bytes; nil when only the hash is known (status) — read from `contentPath` when needed.
    public var content: Data?
    var contentPath: String?
    /// With `secret`: the content with each secret written `<redacted>` (nil: not known).
    public var redactedContent: Data?

    /// The bytes, reading them from the generation when not held in memory.
    public func bytes() throws(ApplyError) -> Data {
        if let content { return content }
        guard let contentPath else { return Data() }
        return try POSIX.readFile(contentPath)
    }
}

/// One line of the plan.
public struct PlanItem: Sendable {
    /// The absolute managed path.
    public var path: String
    public var action: ChangeAction
    /// Why, for drift and refusals ("edited behind overlay's back").
    public var reason: String?
    public var link: Bool
    /// True when the content holds a secret: diffs print `<redacted>`.
    public var secret: Bool
    /// True when what the live generation holds at this path had a secret (the new content
    /// may not): the diff's removed lines print `<redacted>`.
    public var oldSecret = false
    /// Where the bytes the path shows now can be read (for diffs and backups), if any.
    public var oldContentPath: String?
    /// The target, nil for deletions.
    public var target: TargetFile?
    var step: HomeStep
    /// True: keep what `oldContentPath` holds as a backup before replacing it.
    var backup: Bool
    /// True: the live generation's file was edited (through the symlink) and the target has its
    /// recorded hash, so apply rewrites that file in place instead of building a new generation.
    var repair = false
    /// For `restored-backup`: the backup that goes back to the path.
    public var backupSource: String?
}

/// The plan: what apply would do, computed from the target and the disk. Printing it is a dry run.
public struct ApplyPlan: Sendable {
    public var host: String
    public var items: [PlanItem]
    /// Managed paths replaced by unmanaged files (refused without `--force`).
    public var replaced: [String]
    /// True when a new generation must be built (contents, modes, the file set, drift or backups changed).
    public var needsGeneration: Bool
    /// The homes, for the generation record.
    var homes: [String: String]
    var protected: [String] = []
    var targets: [TargetFile]
    /// The ledger the plan was made against (read once per run).
    var ledger: ManagedLedger
    /// The cron jobs and handlers the new generation records (see `Generation.cron`).
    var cron: Generation.Cron?
    var handlers: [Generation.Handler]?

    /// Counts per summary key (created, updated, deleted, unchanged).
    public var summary: [String: Int] {
        var out = ["created": 0, "updated": 0, "deleted": 0, "unchanged": 0]
        for item in items { if let k = item.action.summaryKey { out[k, default: 0] += 1 } }
        return out
    }

    /// Items whose action is not `unchanged`.
    public var changes: [PlanItem] { items.filter { $0.action != .unchanged } }

    /// True when a path would be created, updated, restored or deleted: a `kept` path (left
    /// in place, reported) changes nothing, so a host with one still converges as `ok`.
    public var altersAnything: Bool { items.contains { $0.action != .unchanged && $0.action != .kept } }

    /// The number of created, updated and deleted paths (0 for a no-op).
    public var changeCount: Int {
        let s = summary
        return (s["created"] ?? 0) + (s["updated"] ?? 0) + (s["deleted"] ?? 0)
    }
}

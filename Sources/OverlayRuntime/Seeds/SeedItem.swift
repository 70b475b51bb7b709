import Foundation

/// What happens to one create-only file in a run (a line of apply's `changes`).
public struct SeedItem: Sendable {
    /// The absolute dest.
    public var path: String
    /// `created` (missing: written), `updated` (re-seeded by `--force-create`), `unchanged`
    /// (present: left as it is), `kept` (no longer declared: left in place and forgotten).
    public var action: ChangeAction
    /// Why, when it is not plain.
    public var reason: String?
    /// A warning for the user: the source changed since overlay seeded this file, which this host
    /// will not get without `--force-create`.
    public var sourceChanged: String?
    /// True when the content holds a secret (diffs print `<redacted>`).
    public var secret: Bool
    /// The bytes to write (nil for `unchanged` and `kept`).
    public var content: Data?
    /// With `secret`: the content with each secret written `<redacted>`.
    public var redactedContent: Data?
    /// Where the bytes the path shows now can be read, for a diff of a re-seed.
    public var oldContentPath: String?

    var mode: UInt16 = 0o644
    var home = ""
    var relative = ""
    var source = ""
    var sha256 = ""
    /// Rename over what is there (a re-seed, or overlay's own old link) instead of creating.
    var replaceExisting = false
    /// Record the file as seeded although nothing is written (it already holds the content).
    var adopt = false

    /// True when the run writes the path.
    public var writes: Bool { action == .created || action == .updated }
}

/// One validation rule: a stable id, the family it belongs to, how severe its findings are,
/// and what it checks in one line.
public struct Rule: Sendable, Equatable {
    /// How severe a rule's findings are.
    public enum Level: String, Sendable {
        /// Always an error.
        case error
        /// Always a warning (fails only with `--strict`).
        case warning
        /// An error in some cases and a warning in others (the message says which).
        case errorOrWarning = "error or warning"
        /// An error found when applying (it needs the host's secrets), not by validate.
        case applyError = "error (apply only)"
    }

    /// `family.name`, e.g. `cron.range`.
    public let id: String
    /// How severe its findings are.
    public let level: Level
    /// What it checks, in one line.
    public let summary: String

    /// The family: the part of the id before the dot (`cron`).
    public var family: String { String(id.prefix { $0 != "." }) }

    init(_ id: String, _ level: Level, _ summary: String) {
        self.id = id
        self.level = level
        self.summary = summary
    }
}

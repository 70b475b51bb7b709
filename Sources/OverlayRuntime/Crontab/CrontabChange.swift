/// What an install or removal did to a host's managed block, by job name.
public struct CrontabChange: Sendable, Equatable {
    /// Jobs that were not installed before.
    public var added: [String] = []
    /// Jobs whose line changed.
    public var updated: [String] = []
    /// Jobs that were installed and are no longer declared.
    public var removed: [String] = []
    /// Jobs already installed exactly as declared.
    public var unchanged: [String] = []
    /// True when the crontab was written (false: it already matched byte for byte).
    public var written: Bool = false

    public init(added: [String] = [], updated: [String] = [], removed: [String] = [], unchanged: [String] = [], written: Bool = false) {
        self.added = added
        self.updated = updated
        self.removed = removed
        self.unchanged = unchanged
        self.written = written
    }

    /// True when any job was added, updated or removed.
    public var changedJobs: Bool { !(added.isEmpty && updated.isEmpty && removed.isEmpty) }
}

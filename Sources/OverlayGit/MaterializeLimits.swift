/// How big a commit's tree may be before overlay refuses to materialise it: a hostile push
/// must not fill the disk or the memory of every host that pulls it.
public struct MaterializeLimits: Sendable, Equatable {
    /// The largest single file.
    public var maxFileBytes: Int
    /// All files together.
    public var maxTotalBytes: Int
    /// Files, symlinks and folders together.
    public var maxEntries: Int
    /// Folders inside folders.
    public var maxDepth: Int

    /// Defaults far above any overlay repo: 64 MiB a file, 512 MiB in all, 100,000 entries, 64 deep.
    public init(
        maxFileBytes: Int = 64 << 20, maxTotalBytes: Int = 512 << 20, maxEntries: Int = 100_000, maxDepth: Int = 64
    ) {
        self.maxFileBytes = maxFileBytes
        self.maxTotalBytes = maxTotalBytes
        self.maxEntries = maxEntries
        self.maxDepth = maxDepth
    }
}

/// What `materialize` wrote.
public struct MaterializedTree: Sendable, Equatable {
    /// The commit whose tree it is.
    public var commit: String
    /// The staging folder, complete.
    public var path: String
    /// Regular files written.
    public var files: Int
    /// Symlinks written.
    public var symlinks: Int
    /// Folders written (the staging folder itself not counted).
    public var directories: Int
    /// Bytes of file content written.
    public var bytes: Int
}

/// The difference between a host's declared cron jobs and its installed block.
public struct CrontabDrift: Sendable, Equatable {
    /// Declared jobs that are not installed.
    public var missing: [String]
    /// Jobs installed with a different line than declared (or installed twice).
    public var changed: [String]
    /// Installed jobs that are no longer declared.
    public var extra: [String]
    /// Lines inside the block that belong to no job (hand edits).
    public var strays: [String]
    /// A unified-diff-like text: `-` installed, `+` declared.
    public var text: String

    /// True when the installed block differs from the declared jobs.
    public var hasDrift: Bool { !(missing.isEmpty && changed.isEmpty && extra.isEmpty && strays.isEmpty) }

    /// Compares the installed block (nil: none) with the block that would be installed.
    public init(installed: CrontabBlock?, declared: CrontabBlock, target: String) {
        let old = installed?.entries ?? []
        var missing: [String] = []
        var changed: [String] = []
        var body: [String] = []
        for entry in declared.entries {
            let matches = old.filter { $0.name == entry.name }
            if matches.isEmpty {
                missing.append(entry.name)
                body += ["+" + CrontabBlock.jobPrefix + entry.name, "+" + entry.line]
            } else if matches.count > 1 || matches[0].line != entry.line {
                changed.append(entry.name)
                body.append(" " + CrontabBlock.jobPrefix + entry.name)
                body += matches.map { "-" + $0.line }
                body.append("+" + entry.line)
            }
        }
        let declaredNames = Set(declared.entries.map(\.name))
        var extra: [String] = []
        for entry in old where !declaredNames.contains(entry.name) {
            if !extra.contains(entry.name) { extra.append(entry.name) }
            body += ["-" + CrontabBlock.jobPrefix + entry.name, "-" + entry.line]
        }
        let strays = installed?.strays ?? []
        body += strays.map { "-" + $0 }
        self.missing = missing
        self.changed = changed
        self.extra = extra
        self.strays = strays
        let header = "--- installed (\(target), host=\(declared.host))\n+++ declared\n"
        self.text = body.isEmpty ? "" : header + body.joined(separator: "\n") + "\n"
    }
}

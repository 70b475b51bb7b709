extension JobPlaybook {
    /// One error per job playbook whose name another one already has (in path order), at its
    /// `name:` (or the top of the file, when the name is the file's), naming the first: the
    /// name is the playbook's lock, workspace, ledger rows and cron entry, so two playbooks
    /// with one name would share them and break the crontab install.
    public static func duplicateNames(_ parses: [JobPlaybookParse]) -> [Diagnostic] {
        var first: [String: JobPlaybookParse] = [:]
        var out: [Diagnostic] = []
        for parse in parses.sorted(by: { $0.playbook.file < $1.playbook.file }) {
            let name = parse.playbook.name
            guard let earlier = first[name] else {
                first[name] = parse
                continue
            }
            out.append(
                Diagnostic(
                    file: parse.playbook.file, at: parse.nameNode?.mark ?? Mark(line: 1, column: 1), rule: "playbook.duplicate-name",
                    "job playbook name '\(name)' is also the name of \(earlier.playbook.file)\(origin(earlier)); a name is a playbook's lock, workspace, run history and cron entry, so each needs its own: set a different name: here or there\(parse.nameNode == nil ? " (this one is named after its file)" : "")"
                ))
        }
        return out
    }

    private static func origin(_ parse: JobPlaybookParse) -> String {
        parse.nameNode.map { " (its name: at line \($0.mark.line))" } ?? " (named after its file)"
    }
}

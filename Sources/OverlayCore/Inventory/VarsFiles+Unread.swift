/// Vars files Ansible never reads: a typo in a host or group name, or a file that loses
/// to another one for the same name. Ansible skips both silently, so overlay warns
/// (`--strict` fails on them) but, like Ansible, does not refuse the inventory.
extension VarsFiles {
    /// Reports every file that was not read. `hosts` includes the implicit localhost names.
    mutating func reportUnread(groups: Set<String>, hosts: Set<String>) {
        for path in files.keys.sorted() where !read.contains(path) {
            let parts = path.split(separator: "/", omittingEmptySubsequences: true)
            guard parts.count >= 2, let kind = Kind(rawValue: String(parts[0])) else { continue }
            let last = parts[parts.count - 1]
            if last.hasPrefix(".") || last.hasSuffix("~") { continue }
            let ext = VarsFiles.fileExtension(last)
            // Inside a NAME/ folder only files Ansible could read count; at the top, a file
            // may be named after a host (web1.example.org) unless it is plainly a document.
            if parts.count > 2 ? !(ext.isEmpty || VarsFiles.extensions.contains(ext)) : VarsFiles.documentExtensions.contains(ext) {
                continue
            }
            var name = String(parts[1])
            if parts.count == 2, VarsFiles.extensions.contains(ext) { name = String(name.dropLast(ext.count)) }
            let known = kind == .group ? groups : hosts
            let file = prefix + path
            if known.contains(name) {
                let used = chosenFiles(for: name, kind: kind).first.map { " (it reads \(prefix + $0))" } ?? ""
                diagnostics.append(
                    Diagnostic(
                        file: file, at: .start, .warning, rule: "inventory.shadowed-vars-file",
                        "Ansible never reads this file for '\(name)'\(used): only the first of NAME (file or folder), NAME.yml, NAME.yaml, NAME.json counts, and hidden, backup and other-extension files in a folder are skipped; merge it into the file that is read"
                    ))
                continue
            }
            diagnostics.append(
                Diagnostic(
                    file: file, at: .start, .warning, rule: "inventory.unknown-vars-file",
                    unknownMessage(name, kind, groups: groups, hosts: hosts)))
        }
    }

    private func unknownMessage(_ name: String, _ kind: Kind, groups: Set<String>, hosts: Set<String>) -> String {
        let what = kind == .group ? "group" : "host"
        if kind == .group, hosts.contains(name) {
            return "'\(name)' is a host, not a group, so Ansible never reads this file; move it to host_vars/"
        }
        if kind == .host, groups.contains(name) {
            return "'\(name)' is a group, not a host, so Ansible never reads this file; move it to group_vars/"
        }
        let hint = Suggest.closest(name, in: Array(kind == .group ? groups : hosts)).map { " — did you mean '\($0)'?" } ?? ""
        return "the inventory has no \(what) '\(name)', so Ansible never reads this file\(hint); rename it or add the \(what)"
    }
}

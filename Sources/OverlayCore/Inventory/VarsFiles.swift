import Foundation

/// The `group_vars/` and `host_vars/` files beside an inventory file, chosen the way
/// Ansible's `host_group_vars` plugin chooses them.
///
/// For a name, Ansible takes the first of `NAME` (a file, or a folder read
/// recursively in sorted order), `NAME.yml`, `NAME.yaml`, `NAME.json` that exists —
/// only that one. Files nobody reads are reported, since Ansible skips them silently.
struct VarsFiles {
    /// Which folder: variables of groups or of hosts.
    enum Kind: String, CaseIterable {
        case group = "group_vars"
        case host = "host_vars"
    }

    static let extensions = [".yml", ".yaml", ".json"]

    /// Prefix that turns a folder-relative path into the reported path (`inventory/`).
    let prefix: String
    /// Every file under the two folders, relative to the inventory folder, with its
    /// parsed document (nil when overlay does not parse that kind of file).
    private let files: [String: Document?]
    /// Files below each `KIND/NAME/` folder.
    private var folders: [String: [String]] = [:]
    /// Per kind, every name some file or folder might belong to (a superset): the
    /// thousands of hosts without a vars file skip the path lookups.
    private var candidates: [Kind: Set<String>] = [:]
    private(set) var read: Set<String> = []
    private(set) var diagnostics: [Diagnostic] = []

    init(prefix: String, files: [String: Document?]) {
        self.prefix = prefix
        self.files = files
        for path in files.keys {
            let parts = path.split(separator: "/", omittingEmptySubsequences: true)
            if parts.count >= 2, let kind = Kind(rawValue: String(parts[0])) {
                let ext = VarsFiles.fileExtension(parts[1])
                candidates[kind, default: []].insert(String(parts[1]))
                if VarsFiles.extensions.contains(ext) { candidates[kind, default: []].insert(String(parts[1].dropLast(ext.count))) }
            }
            guard parts.count > 2 else { continue }
            folders[parts[0] + "/" + parts[1], default: []].append(path)
        }
    }

    /// The definitions Ansible reads for `name`, in precedence order (later wins).
    mutating func definitions(for name: String, kind: Kind) -> [VariableDefinition] {
        var out: [VariableDefinition] = []
        for path in chosenFiles(for: name, kind: kind) {
            read.insert(path)
            guard let entry = files[path], let doc = entry else {
                diagnostics.append(
                    Diagnostic(
                        file: prefix + path, at: .start, .warning, rule: "inventory.vars-file-ignored",
                        "Ansible reads this file for '\(name)' but overlay reads only .yml, .yaml and .json vars files; rename it with one of those extensions"
                    ))
                continue
            }
            guard let root = doc.root, root.pairs != nil || !root.isNull else { continue }
            guard root.pairs != nil else {
                diagnostics.append(
                    Diagnostic(
                        file: doc.path, at: root.mark, rule: "inventory.syntax",
                        "a vars file must be a mapping of variable names to values, not a \(root.typeName)"))
                continue
            }
            out += VariableDefinition.all(in: root, file: doc.path)
        }
        return out
    }

    /// The files Ansible's find_vars_files returns for `name`.
    func chosenFiles(for name: String, kind: Kind) -> [String] {
        if !name.utf8.contains(UInt8(ascii: "/")), candidates[kind]?.contains(name) != true { return [] }
        let base = kind.rawValue + "/" + name
        if files[base] != nil { return [base] }
        if let inside = folders[base] {
            let usable = inside.filter { VarsFiles.isReadInFolder(String($0.dropFirst(base.count + 1))) }
            return usable.sorted { $0.split(separator: "/").lexicographicallyPrecedes($1.split(separator: "/")) }
        }
        for ext in VarsFiles.extensions where files[base + ext] != nil { return [base + ext] }
        return []
    }

    /// Whether Ansible reads a file at `rest` (relative to a `NAME/` folder).
    static func isReadInFolder(_ rest: String) -> Bool {
        let parts = rest.split(separator: "/")
        for (i, part) in parts.enumerated() {
            if part.hasPrefix(".") || part.hasSuffix("~") { return false }
            let ext = fileExtension(part)
            if i < parts.count - 1 ? !ext.isEmpty : !(ext.isEmpty || extensions.contains(ext)) { return false }
        }
        return true
    }

    /// Python's os.path.splitext extension (with the dot), or "".
    static func fileExtension(_ name: Substring) -> String {
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex,
            name[..<dot].contains(where: { $0 != "." })
        else { return "" }
        return String(name[dot...])
    }

    /// Reports vars files that Ansible never reads: unknown names and shadowed files.
    mutating func reportUnread(groups: Set<String>, hosts: Set<String>) {
        for path in files.keys.sorted() where !read.contains(path) {
            let parts = path.split(separator: "/", omittingEmptySubsequences: true)
            guard parts.count >= 2, let kind = Kind(rawValue: String(parts[0])) else { continue }
            let last = parts[parts.count - 1]
            let ext = VarsFiles.fileExtension(last)
            guard ext.isEmpty || VarsFiles.extensions.contains(ext) else { continue }
            var name = String(parts[1])
            if parts.count == 2, VarsFiles.extensions.contains(ext) { name = String(name.dropLast(ext.count)) }
            let known = kind == .group ? groups : hosts
            let file = prefix + path
            if known.contains(name) {
                let used = chosenFiles(for: name, kind: kind).first.map { " (it reads \(prefix + $0))" } ?? ""
                diagnostics.append(
                    Diagnostic(
                        file: file, at: .start, .warning, rule: "inventory.shadowed-vars-file",
                        "Ansible never reads this file for '\(name)'\(used): only the first of NAME/, NAME.yml, NAME.yaml, NAME.json counts, and hidden, backup and other-extension files are skipped; merge it into the file that is read"
                    ))
                continue
            }
            diagnostics.append(
                Diagnostic(
                    file: file, at: .start, rule: "inventory.unknown-vars-file", unknownMessage(name, kind, groups: groups, hosts: hosts)))
        }
    }

    private func unknownMessage(_ name: String, _ kind: Kind, groups: Set<String>, hosts: Set<String>) -> String {
        let what = kind == .group ? "group" : "host"
        if kind == .group, hosts.contains(name) {
            return "'\(name)' is a host, not a group; move this file to host_vars/"
        }
        if kind == .host, groups.contains(name) {
            return "'\(name)' is a group, not a host; move this file to group_vars/"
        }
        let hint = Suggest.closest(name, in: Array(kind == .group ? groups : hosts)).map { " — did you mean '\($0)'?" } ?? ""
        return "the inventory has no \(what) '\(name)', so Ansible never reads this file\(hint); rename it or add the \(what)"
    }
}

import Foundation

/// The `group_vars/` and `host_vars/` files beside an inventory file, chosen and read
/// the way Ansible's `host_group_vars` plugin chooses and reads them.
///
/// For a name, Ansible takes the first of `NAME` (a file, or a folder read
/// recursively in sorted order), `NAME.yml`, `NAME.yaml`, `NAME.json` that exists —
/// only that one. A file without an extension is YAML like the others. Files nobody
/// reads are reported as warnings, since Ansible skips them silently.
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
    /// document when it was read up front (nil: read on demand by `load`).
    let files: [String: Document?]
    /// Reads a file on demand (the extension-less ones a repo walk does not parse).
    private let load: (String) -> Document?
    /// Whether the up-front documents' own problems are reported here (else the caller does).
    private let reportsParseProblems: Bool
    /// Files below each `KIND/NAME/` folder.
    private var folders: [String: [String]] = [:]
    /// Per kind, every name some file or folder might belong to (a superset): the
    /// thousands of hosts without a vars file skip the path lookups.
    private var candidates: [Kind: Set<String>] = [:]
    /// The definitions of every up-front document whose root is a mapping, converted to
    /// values on all cores when the files are handed over (one core did it per host).
    private let prepared: [String: [VariableDefinition]]
    var read: Set<String> = []
    var diagnostics: [Diagnostic] = []

    init(
        prefix: String, files: [String: Document?], reportsParseProblems: Bool = false,
        load: @escaping (String) -> Document? = { _ in nil }
    ) {
        self.prefix = prefix
        self.files = files
        self.reportsParseProblems = reportsParseProblems
        self.load = load
        let mappings = files.compactMap { path, doc -> (String, Document)? in
            guard let doc, doc.root?.pairs != nil else { return nil }
            return (path, doc)
        }
        let converted = Parallel.map(mappings) { item -> (String, [VariableDefinition]) in
            (item.0, item.1.root.map { VariableDefinition.all(in: $0, file: item.1.path) } ?? [])
        }
        self.prepared = Dictionary(converted, uniquingKeysWith: { a, _ in a })
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
        for path in chosenFiles(for: name, kind: kind) where read.insert(path).inserted {
            let preloaded = files[path] ?? nil
            guard let doc = preloaded ?? load(path) else { continue }
            if preloaded == nil || reportsParseProblems { diagnostics += doc.diagnostics }
            guard let root = doc.root, root.pairs != nil || !root.isNull else { continue }
            if let problem = VaultFile.problem(root, file: doc.path, what: "vars file") {
                diagnostics.append(problem)
                continue
            }
            guard root.pairs != nil else {
                diagnostics.append(
                    Diagnostic(
                        file: doc.path, at: root.mark, rule: "inventory.syntax",
                        "a vars file must be a mapping of variable names to values, not a \(root.typeName)"))
                continue
            }
            out += (preloaded != nil ? prepared[path] : nil) ?? VariableDefinition.all(in: root, file: doc.path)
        }
        return out
    }

    /// The files Ansible's find_vars_files returns for `name`.
    func chosenFiles(for name: String, kind: Kind) -> [String] {
        // Ansible reads no vars files for names that are paths ('chroot' hosts such as /srv/jail).
        if name.hasPrefix("/") { return [] }
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

    /// Extensions of files that sit in vars folders without being vars files (notes,
    /// examples, editor and merge leftovers): never reported as naming a missing host.
    static let documentExtensions: Set<String> = [
        ".md", ".txt", ".rst", ".example", ".sample", ".dist", ".template", ".tpl", ".j2", ".bak", ".old", ".orig",
        ".rej", ".swp", ".tmp", ".retry", ".disabled", ".gitkeep", ".keep", ".gpg", ".asc", ".pem", ".key", ".crt",
    ]
}

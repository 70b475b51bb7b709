import Foundation

/// An Ansible YAML inventory: hosts, groups and each host's variables, resolved
/// exactly as `ansible-inventory --list` resolves them (SPEC §2.4).
///
/// Everything is computed once when the inventory is read, so `vars(for:)` and
/// `hosts(matching:)` are cheap enough to call per host, per template, per job.
public struct Inventory: Sendable {
    /// Where an overlay repo keeps its inventory.
    public static let defaultPath = "inventory/hosts.yml"
    /// Inventory file names looked for in a repo, in order.
    public static let repoPaths = [defaultPath, "inventory/hosts.yaml"]

    /// The inventory file, as reported in diagnostics.
    public let file: String
    /// Host names in inventory order (the order Ansible first met them).
    public let hostNames: [String]
    /// Group names in Ansible's order: `all`, `ungrouped`, then as first met.
    public let groupNames: [String]
    /// Problems found while reading the inventory and its vars files.
    public let diagnostics: [Diagnostic]

    let groups: [String: InventoryGroup]
    let hosts: [String: InventoryHost]
    private let variables: [String: HostVariables]
    /// Ansible's implicit localhost (`localhost`, `127.0.0.1`, `::1` when not listed): in no group.
    private let implicitLocalhosts: [String: HostVariables]
    /// Each host's groups, ancestors included, sorted (Ansible's `group_names`, plus `all`).
    private let memberships: [String: [String]]
    /// `groups[NAME]` and the `groups` magic variable, built on first use.
    private let groupHosts: GroupHostIndex
    private let patternCache = PatternCache()

    /// The inventory of a loaded repo (nil when it has none or it does not parse).
    ///
    /// Uses the documents the repo already parsed; reads only the vars files without an
    /// extension that Ansible reads (the repo walk does not parse those).
    public static func find(in repo: LoadedRepo) -> Inventory? {
        for path in repoPaths {
            guard let doc = repo[path] else { continue }
            guard let root = doc.root else { return nil }
            let folder = "inventory/"
            var files: [String: Document?] = [:]
            for p in repo.files.paths
            where p.hasPrefix(folder + VarsFiles.Kind.group.rawValue + "/") || p.hasPrefix(folder + VarsFiles.Kind.host.rawValue + "/") {
                let parsed = repo[p].flatMap { $0.format == .text ? nil : $0 }
                files[String(p.dropFirst(folder.count))] = .some(parsed)
            }
            let loader = DocumentLoader()
            let vars = VarsFiles(prefix: folder, files: files) { rel in
                loader.loadVarsFile(url: repo.files.url(folder + rel), path: folder + rel)
            }
            return Inventory(root: root, file: path, varsFiles: vars)
        }
        return nil
    }

    /// Reads an inventory file and the `group_vars/` and `host_vars/` beside it (for `-i FILE`).
    public static func load(file: URL) -> (Inventory?, [Diagnostic]) {
        load(file: file, reportedAs: file.path)
    }

    /// Reads an inventory file, naming it `path` in diagnostics.
    public static func load(file: URL, reportedAs path: String) -> (Inventory?, [Diagnostic]) {
        let loader = DocumentLoader()
        let prefix = path.contains("/") ? String(path[...(path.lastIndex(of: "/") ?? path.startIndex)]) : ""
        let folder = file.deletingLastPathComponent().path + "/"
        // The inventory file and the vars files beside it are independent until variables
        // are resolved: parse the one while the others are read, on separate cores.
        let (main, files) = Parallel.both(
            { () -> (Document, InventoryParser?) in
                let doc = loader.load(url: file, path: path)
                guard let root = doc.root else { return (doc, nil) }
                var parser = InventoryParser(file: path)
                parser.parse(root)
                return (doc, parser)
            },
            { readVarsFiles(in: folder, prefix: prefix, loader: loader) })
        let (doc, parser) = main
        guard let parser else { return (nil, doc.diagnostics) }
        let vars = VarsFiles(prefix: prefix, files: files, reportsParseProblems: true) { rel in
            loader.loadVarsFile(url: URL(fileURLWithPath: folder + rel), path: prefix + rel)
        }
        let inventory = Inventory(parsed: parser, file: path, varsFiles: vars)
        return (inventory, (doc.diagnostics + inventory.diagnostics).sortedForReport())
    }

    /// Every file under `group_vars/` and `host_vars/` in `folder`; the `.yml`, `.yaml` and
    /// `.json` ones parsed (the rest are read only if Ansible would read them).
    private static func readVarsFiles(in folder: String, prefix: String, loader: DocumentLoader) -> [String: Document?] {
        var found: [String] = []
        // Plain path strings: URL arithmetic per entry was a visible cost with hundreds of files.
        func walk(_ rel: String) {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: folder + rel)) ?? []
            for name in names.sorted() where !name.hasPrefix(".") {
                let child = rel + "/" + name
                var isDir: ObjCBool = false
                guard FileManager.default.fileExists(atPath: folder + child, isDirectory: &isDir) else { continue }
                if isDir.boolValue { walk(child) } else { found.append(child) }
            }
        }
        for kind in VarsFiles.Kind.allCases { walk(kind.rawValue) }
        // One by one: this runs beside the inventory's own parse, and the two fill two cores.
        var files: [String: Document?] = [:]
        for rel in found {
            files[rel] = .some(
                Document.format(of: rel) == .text ? nil : loader.load(url: URL(fileURLWithPath: folder + rel), path: prefix + rel))
        }
        return files
    }

    init(root: Node, file: String, varsFiles: VarsFiles) {
        var parser = InventoryParser(file: file)
        parser.parse(root)
        self.init(parsed: parser, file: file, varsFiles: varsFiles)
    }

    init(parsed parser: InventoryParser, file: String, varsFiles: VarsFiles) {
        self.file = file
        self.groups = parser.groups
        self.hosts = parser.hosts
        self.hostNames = parser.hostOrder
        self.groupNames = parser.groupOrder

        var files = varsFiles
        var groupFileVars: [String: [VariableDefinition]] = [:]
        for name in groupNames { groupFileVars[name] = files.definitions(for: name, kind: .group) }
        var hostFileVars: [String: [VariableDefinition]] = [:]
        let implicitNames = ImplicitLocalhost.names.filter { parser.hosts[$0] == nil }
        for name in hostNames + implicitNames {
            let defs = files.definitions(for: name, kind: .host)
            if !defs.isEmpty { hostFileVars[name] = defs }
        }
        files.reportUnread(groups: Set(groupNames), hosts: Set(hostNames + implicitNames))

        var ancestors: [String: Set<String>] = [:]
        for name in groupNames { ancestors[name] = parser.ancestors(of: name).union([name]) }
        let precedence = VariablePrecedence(groups: groups, groupFileVars: groupFileVars, hostFileVars: hostFileVars)
        let implicitBase = precedence.groupVariables(ordered: [])
        var implicit: [String: HostVariables] = [:]
        for name in implicitNames {
            var vars = implicitBase
            vars.apply(ImplicitLocalhost.definitions(file: file))
            vars.apply(hostFileVars[name] ?? [])
            implicit[name] = vars
        }
        self.implicitLocalhosts = implicit
        // Hosts in the same groups share memberships and group variables: compute them once.
        let hostList = Array(hosts.values)
        var byGroups: [[String]: (memberships: [String], vars: HostVariables)] = [:]
        for host in hostList where byGroups[host.groups] == nil {
            var all: Set<String> = []
            for g in host.groups { all.formUnion(ancestors[g] ?? [g]) }
            byGroups[host.groups] = (
                all.sorted { $0.unicodeScalars.lexicographicallyPrecedes($1.unicodeScalars) },
                precedence.groupVariables(ordered: precedence.ordered(all))
            )
        }
        // Each host's own layers on top, independent per host: in chunks on all cores.
        let shared = byGroups
        let chunks = stride(from: 0, to: hostList.count, by: 256).map { $0..<min($0 + 256, hostList.count) }
        let resolved = Parallel.map(chunks) { range in
            range.map { i in
                let host = hostList[i]
                return precedence.variables(for: host, groupVariables: shared[host.groups]?.vars ?? HostVariables())
            }
        }
        var variables: [String: HostVariables] = [:]
        var memberships: [String: [String]] = [:]
        variables.reserveCapacity(hostList.count)
        memberships.reserveCapacity(hostList.count)
        for (host, vars) in zip(hostList, resolved.joined()) {
            variables[host.name] = vars
            memberships[host.name] = shared[host.groups]?.memberships ?? []
        }
        self.variables = variables
        self.memberships = memberships

        self.groupHosts = GroupHostIndex(groups: groups, order: groupNames)

        var diagnostics = parser.diagnostics + files.diagnostics
        var seen: Set<ObjectIdentifier> = []
        func checkTypes(_ defs: [VariableDefinition]) {
            for def in defs where seen.insert(ObjectIdentifier(def)).inserted {
                if let problem = ConnectionVariableRule.check(def) { diagnostics.append(problem) }
            }
        }
        for group in groups.values { checkTypes(group.vars) }
        for host in hosts.values { checkTypes(host.vars) }
        for defs in groupFileVars.values { checkTypes(defs) }
        for defs in hostFileVars.values { checkTypes(defs) }
        self.diagnostics = diagnostics.sortedForReport()
    }

    /// Hosts of a group and of all groups below it, as Ansible's Group.get_hosts lists them:
    /// the group's own hosts, then its children's, level by level.
    static func descendantHosts(of name: String, in groups: [String: InventoryGroup]) -> [String] {
        var out: [String] = []
        var seenHosts: Set<String> = []
        var seenGroups: Set<String> = [name]
        var level = [name]
        while !level.isEmpty {
            var next: [String] = []
            for g in level {
                for h in groups[g]?.hosts ?? [] where seenHosts.insert(h).inserted { out.append(h) }
                for c in groups[g]?.children ?? [] where seenGroups.insert(c).inserted { next.append(c) }
            }
            level = next
        }
        return out
    }
}

extension Inventory {
    /// The resolved variables of `host` with the magic variables templates see:
    /// `inventory_hostname`, `inventory_hostname_short`, `group_names` and `groups`.
    public func vars(for host: String) -> Value {
        let magic: [(String, Value)] = [
            ("inventory_hostname", .string(host)),
            ("inventory_hostname_short", .string(String(host.split(separator: ".", maxSplits: 1).first ?? Substring(host)))),
            ("group_names", .array(groupNames(of: host).map(Value.string))),
            ("groups", groupHosts.value),
        ]
        let own = (resolved(host)?.definitions ?? []).filter { def in !magic.contains { $0.0 == def.name } }
        return .object(own.map { ($0.name, $0.value) } + magic)
    }

    /// The resolved variables of `host` with where each came from (no magic variables), or nil.
    /// Answers for Ansible's implicit localhost too (`localhost` when the inventory lacks it).
    public func variables(of host: String) -> HostVariables? { resolved(host) }

    private func resolved(_ host: String) -> HostVariables? { variables[host] ?? implicitLocalhosts[host] }

    /// True when `host` is Ansible's implicit localhost (not listed, but named in a pattern).
    public func isImplicitLocalhost(_ host: String) -> Bool { implicitLocalhosts[host] != nil }

    /// Ansible's `group_names`: the host's groups and their ancestors, sorted, without `all`.
    public func groupNames(of host: String) -> [String] {
        (memberships[host] ?? []).filter { $0 != "all" }
    }

    /// A group by name.
    public func group(named name: String) -> InventoryGroup? { groups[name] }

    /// A host by name.
    public func host(named name: String) -> InventoryHost? { hosts[name] }

    /// Ansible's `groups[name]`: the group's hosts and its descendants' hosts.
    public func hosts(inGroup name: String) -> [String] { groupHosts.hosts[name] ?? [] }

    /// How overlay connects to `host` (its resolved connection variables).
    public func connection(for host: String) throws(ConnectionError) -> HostConnection {
        try HostConnection.of(host: host, vars: vars(for: host))
    }

    /// `overlay_home` of `host` (what `~` means there), when set.
    public func overlayHome(for host: String) -> String? { resolved(host)?["overlay_home"]?.value.stringValue }

    /// `overlay_state_dir` of `host`, when set.
    public func overlayStateDir(for host: String) -> String? {
        resolved(host)?["overlay_state_dir"]?.value.stringValue
    }

    /// Hosts matched by an Ansible host pattern (`web:&prod:!web3`, `db*`, `all`), in Ansible's order.
    public func hosts(matching pattern: String) -> [String] {
        // Cron files and playbooks repeat a handful of patterns thousands of times.
        if let hit = patternCache.get(pattern) { return hit }
        let hosts = HostPattern(pattern).hosts(in: self)
        patternCache.set(pattern, hosts)
        return hosts
    }

    /// True when `host` is matched by `pattern` (cached per pattern).
    public func host(_ host: String, matches pattern: String) -> Bool {
        if let set = patternCache.getSet(pattern) { return set.contains(host) }
        let set = Set(hosts(matching: pattern))
        patternCache.setSet(pattern, set)
        return set.contains(host)
    }
}

/// Memoised pattern results; patterns are pure functions of the inventory.
final class PatternCache: @unchecked Sendable {
    private let lock = NSLock()
    private var lists: [String: [String]] = [:]
    private var sets: [String: Set<String>] = [:]

    func get(_ pattern: String) -> [String]? { lock.withLock { lists[pattern] } }
    func set(_ pattern: String, _ hosts: [String]) { lock.withLock { lists[pattern] = hosts } }
    func getSet(_ pattern: String) -> Set<String>? { lock.withLock { sets[pattern] } }
    func setSet(_ pattern: String, _ hosts: Set<String>) { lock.withLock { sets[pattern] = hosts } }
}

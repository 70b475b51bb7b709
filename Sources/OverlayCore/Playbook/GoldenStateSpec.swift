/// `playbooks/site.yaml` as written: the golden state before any host's variables.
///
/// Keeps the nodes so that every later problem (rendering, paths, policy) is
/// reported at the exact place in the file.
public struct GoldenStateSpec: Sendable {
    /// One `files:` entry.
    public struct FileEntry: Sendable {
        public var node: Node
        public var src: Node?
        public var template: Node?
        public var dest: Node?
        public var mode: Node?
        public var link: Bool
        /// `create_only: true`: written only where the dest is missing, then left to the program
        /// that owns it (docs/apply.md, "Create-only files").
        public var createOnly = false
        /// The `link:` node as written (a create-only file cannot be linked).
        public var linkNode: Node?
    }

    /// One `handlers:` entry.
    public struct HandlerEntry: Sendable {
        public var name: String
        public var node: Node
        public var run: Node?
        public var onChange: [Node]
        /// How long it may run (`timeout: 10m`); the runner's default when absent.
        public var timeout: Node?
    }

    /// The file the spec came from.
    public var file: String
    public var hosts: Node?
    public var homes: [(name: String, node: Node)] = []
    public var protected: [Node] = []
    public var files: [FileEntry] = []
    public var providers: Node?
    public var cron: [Node] = []
    /// `agent_jobs:`: the agent-jobs files (the harness's own scheduler) this state installs.
    public var agentJobs: [Node] = []
    public var deadman: Node?
    public var handlers: [HandlerEntry] = []
    /// `managed:`: the harness's managed scope (docs/harness.md), nil when not declared.
    public var managed: ManagedSpec?
    /// Structural problems (unknown keys, wrong types).
    public var diagnostics: [Diagnostic] = []

    static let topKeys = ["hosts", "homes", "protected", "files", "providers", "cron", "agent_jobs", "deadman", "handlers", "managed"]
    static let fileKeys = ["src", "template", "dest", "mode", "link", "create_only"]
    static let deadmanKeys = ["stamp", "max_age", "every", "restart", "max_retries", "rollback", "alert"]
    static let handlerKeys = ["run", "on_change", "timeout"]

    /// Reads the spec from a parsed document.
    public init(document: Document) {
        file = document.path
        guard let root = document.root else { return }
        guard let pairs = root.pairs else {
            problem(root, "playbook.syntax", "the golden state must be a mapping (hosts, homes, files, …)")
            return
        }
        for pair in pairs {
            let key = pair.key.scalarText ?? ""
            let v = pair.value
            switch key {
            case "hosts": hosts = v
            case "homes":
                guard let hp = v.pairs else {
                    problem(v, "playbook.syntax", "'homes' must map a name to a folder, e.g. hermes: \"{{ hermes_home }}\"")
                    continue
                }
                homes = hp.map { ($0.key.value.keyString, $0.value) }
            case "protected": protected = list(v, key)
            case "files": readFiles(v)
            case "providers": providers = v
            case "cron": cron = list(v, key)
            case "agent_jobs": agentJobs = list(v, key)
            case "deadman":
                deadman = v
                unknownKeys(v, Self.deadmanKeys, in: "deadman")
                for key in ["restart", "alert"] { secretReference(v[key], what: "deadman \(key)") }
            case "handlers": readHandlers(v)
            case "managed": readManaged(v)
            default: unknownKey(pair.key, key, Self.topKeys, in: "the golden state")
            }
        }
    }

    private mutating func readFiles(_ v: Node) {
        guard let items = v.items else {
            problem(v, "playbook.syntax", "'files' must be a list of {src|template, dest} entries")
            return
        }
        for item in items {
            guard item.pairs != nil else {
                problem(item, "playbook.syntax", "each file entry must be a mapping with src or template, and dest")
                continue
            }
            unknownKeys(item, Self.fileKeys, in: "a file entry")
            var link = true
            if let l = item["link"] {
                if case .bool(let b) = l.value {
                    link = b
                } else {
                    problem(l, "playbook.syntax", "'link' must be true or false")
                }
            }
            var entry = FileEntry(
                node: item, src: item["src"], template: item["template"], dest: item["dest"], mode: item["mode"],
                link: link)
            readCreateOnly(item, into: &entry)
            if entry.src == nil && entry.template == nil {
                problem(item, "playbook.syntax", "a file entry needs 'src' (copied as-is) or 'template' (rendered per host)")
            } else if entry.src != nil && entry.template != nil {
                problem(item, "playbook.syntax", "a file entry has both 'src' and 'template'; keep one")
            }
            if entry.dest == nil { problem(item, "playbook.syntax", "a file entry needs 'dest'") }
            files.append(entry)
        }
    }

    private mutating func readHandlers(_ v: Node) {
        guard let pairs = v.pairs else {
            problem(v, "playbook.syntax", "'handlers' must map a name to {run, on_change, timeout}")
            return
        }
        for pair in pairs {
            unknownKeys(pair.value, Self.handlerKeys, in: "a handler")
            let onChange = pair.value["on_change"].map { list($0, "on_change") } ?? []
            if pair.value["run"] == nil { problem(pair.value, "playbook.syntax", "handler needs 'run' (a shell command)") }
            secretReference(pair.value["run"], what: "handler '\(pair.key.value.keyString)' run")
            handlers.append(
                HandlerEntry(
                    name: pair.key.value.keyString, node: pair.value, run: pair.value["run"], onChange: onChange,
                    timeout: pair.value["timeout"]))
        }
    }

    mutating func list(_ v: Node, _ key: String) -> [Node] {
        if let items = v.items { return items }
        if v.isNull { return [] }
        problem(v, "playbook.syntax", "'\(key)' must be a list")
        return []
    }

    mutating func unknownKeys(_ node: Node, _ known: [String], in what: String) {
        for pair in node.pairs ?? [] {
            let key = pair.key.scalarText ?? ""
            if !known.contains(key) { unknownKey(pair.key, key, known, in: what) }
        }
    }

    private mutating func unknownKey(_ node: Node, _ key: String, _ known: [String], in what: String) {
        let hint = Suggest.closest(key, in: known).map { " — did you mean '\($0)'?" } ?? " (known: \(known.joined(separator: ", ")))"
        problem(node, "playbook.unknown-key", "unknown key '\(key)' in \(what)\(hint)")
    }

    /// A command may not hold `${secret:…}`: only templates resolve secrets.
    mutating func secretReference(_ node: Node?, what: String) {
        guard let node, let text = node.string else { return }
        if let d = SecretPlacement.diagnostic(text, node: node, what: what, rule: "playbook.secret-reference", file: file) {
            diagnostics.append(d)
        }
    }

    mutating func problem(_ node: Node, _ rule: String, _ message: String) {
        diagnostics.append(Diagnostic(file: file, at: node.mark, rule: rule, message))
    }
}

/// `managed:` of the golden state as written: what overlay pins in the harness's managed scope
/// (`/etc/hermes/config.yaml` and `.env`, docs/harness.md).
public struct ManagedSpec: Sendable {
    /// The `managed:` node.
    public var node: Node
    /// `keys:`: dotted config keys pinned besides the policy's own (values from the host's
    /// `config.yaml`).
    public var keys: [Node] = []
    /// `config:`: values written into the managed `config.yaml` (scalars are templates).
    public var config: Node?
    /// `env:`: variables written into the managed `.env` (values are templates; `${secret:NAME}`
    /// is resolved at apply).
    public var env: [(name: Node, value: Node)] = []
    /// `lock_config: true`: the `.managed` marker in the harness's home (every config write refused).
    public var lockConfig = false
    /// `group:`: the group that may read the managed `.env` (the agent's), a template.
    public var group: Node?

    static let keys = ["keys", "config", "env", "lock_config", "group"]
}

extension GoldenStateSpec {
    /// Reads `managed:`.
    mutating func readManaged(_ v: Node) {
        if v.isNull { return }
        guard v.pairs != nil else {
            problem(v, "playbook.syntax", "'managed' must be a mapping (keys, config, env, lock_config, group)")
            return
        }
        unknownKeys(v, ManagedSpec.keys, in: "managed")
        var spec = ManagedSpec(node: v)
        if let keys = v["keys"] { spec.keys = list(keys, "keys") }
        if let config = v["config"], !config.isNull {
            if config.pairs == nil {
                problem(
                    config, "playbook.syntax", "'managed.config' must be a mapping of harness config keys, e.g. model: {provider: custom}")
            } else {
                spec.config = config
            }
        }
        if let env = v["env"], !env.isNull {
            if let pairs = env.pairs {
                spec.env = pairs.map { ($0.key, $0.value) }
            } else {
                problem(
                    env, "playbook.syntax",
                    "'managed.env' must map variable names to values, e.g. MODEL_API_KEY: \"${secret:MODEL_API_KEY}\"")
            }
        }
        if let lock = v["lock_config"] {
            if case .bool(let b) = lock.value {
                spec.lockConfig = b
            } else {
                problem(lock, "playbook.syntax", "'lock_config' must be true or false")
            }
        }
        spec.group = v["group"]
        managed = spec
    }

    /// Reads a file entry's `create_only:` (and remembers `link:` to check the two together).
    mutating func readCreateOnly(_ item: Node, into entry: inout FileEntry) {
        entry.linkNode = item["link"]
        guard let node = item["create_only"] else { return }
        guard case .bool(let b) = node.value else {
            problem(node, "playbook.syntax", "'create_only' must be true or false")
            return
        }
        entry.createOnly = b
        guard b else { return }
        if let link = entry.linkNode, case .bool(true) = link.value {
            problem(
                link, "playbook.create-only-link",
                "a create_only file is copied, never linked: the program that owns it after the first write would write through the link into overlay's generation; drop 'link: true'"
            )
        }
        // Copied: the program writes the real file.
        entry.link = false
    }
}

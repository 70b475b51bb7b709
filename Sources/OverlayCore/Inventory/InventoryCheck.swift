/// Reports the `inventory.*` problems found while reading the inventory, and
/// `golden_state_providers` values that name a banned provider for some host.
///
/// The provider check looks at what each host really ends up with after
/// precedence, and points at the node that defined that value, wherever it is.
public struct InventoryCheck: RepoCheck {
    public init() {}

    public func check(_ context: ValidationContext) -> [Diagnostic] {
        let reading = context.externalInventoryProblems ?? context.inventory?.diagnostics ?? []
        guard let inventory = context.inventory else { return reading }
        return reading + bannedProviders(inventory, policy: context.policy)
    }

    /// One `policy.banned-provider` per offending node, naming every host it reaches.
    func bannedProviders(_ inventory: Inventory, policy: ProviderPolicy) -> [Diagnostic] {
        bannedProviderFindings(inventory, policy: policy).map { finding in
            var d = finding.diagnostic
            d.hosts = finding.hosts
            return d
        }
    }

    /// The same problems with the hosts each one reaches: they are host-scoped, so converge
    /// fails those hosts and goes on with the others.
    public func bannedProviderFindings(
        _ inventory: Inventory, policy: ProviderPolicy
    ) -> [(diagnostic: Diagnostic, hosts: [String])] {
        guard !policy.banned.isEmpty else { return [] }
        struct Finding {
            var node: Node
            var file: String
            var provider: ProviderPolicy.BannedProvider
            var word: String
            var hosts: [String]
        }
        var findings: [String: Finding] = [:]
        var order: [String] = []
        for host in inventory.hostNames {
            guard let def = inventory.variables(of: host)?["golden_state_providers"] else { continue }
            for node in InventoryCheck.strings(in: def.valueNode) {
                guard let text = node.string, let (provider, word) = policy.bannedProvider(namedIn: text) else { continue }
                let key = "\(def.file):\(node.mark)"
                if findings[key] == nil {
                    findings[key] = Finding(node: node, file: def.file, provider: provider, word: word, hosts: [])
                    order.append(key)
                }
                findings[key]?.hosts.append(host)
            }
        }
        return order.compactMap { findings[$0] }.map { f in
            let named = f.word == f.provider.name ? "'\(f.provider.name)'" : "'\(f.provider.name)' (as '\(f.word)')"
            let reason = f.provider.reason.isEmpty ? "" : ": \(f.provider.reason)"
            let who = f.hosts.count == 1 ? "host '\(f.hosts[0])'" : "hosts \(f.hosts.map { "'\($0)'" }.joined(separator: ", "))"
            let diagnostic = Diagnostic(
                file: f.file, at: f.node.mark, rule: "policy.banned-provider",
                "golden_state_providers of \(who) names banned provider \(named), banned by \(ProviderPolicy.path):\(f.provider.mark.line)\(reason); remove it from this list"
            )
            return (diagnostic, f.hosts)
        }
    }

    /// Every scalar under a value node (a list of names, or one name).
    static func strings(in node: Node) -> [Node] {
        switch node.kind {
        case .scalar: return [node]
        case .sequence(let items): return items.flatMap(strings)
        case .mapping(let pairs): return pairs.flatMap { strings(in: $0.value) }
        }
    }
}

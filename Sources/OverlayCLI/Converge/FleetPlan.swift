import Foundation
import OverlayCore

/// The repo validated for a converge and the hosts it acts on (SPEC §3.4).
///
/// A repo-wide error (config.yaml, cron syntax, policy, the inventory) stops everything
/// before any host is touched; an error that only one host's render produces (its vars name
/// a banned provider, a template variable undefined for it) fails that host alone.
struct FleetPlan {
    var context: ValidationContext
    var renderer: GoldenStateRenderer
    var inventory: Inventory?
    /// Errors that are not any single host's: nothing may be applied.
    var repoErrors: [Diagnostic]
    /// The hosts to converge, in inventory order: the playbook's `hosts` and `--limit`.
    var hosts: [String]
    /// Each host's own render errors (validation environment), when it has any.
    var hostErrors: [String: [Diagnostic]]

    /// Validates the repo at `root` (with `-i` when given) and selects the hosts.
    static func make(root: URL, inventory option: String?, limit: String?) throws -> FleetPlan {
        let context = try HostSelection.context(root: root, inventory: option)
        let errors = Validator().validate(context).diagnostics.filter { $0.severity == .error }
        guard let renderer = GoldenStateRenderer(context: context) else {
            throw CommandFailure(description: "\(GoldenStateFile.path) is missing: there is no golden state to converge")
        }
        guard let inventory = context.inventory else {
            guard !errors.isEmpty else {
                throw CommandFailure(description: "there is no inventory to converge: add \(Inventory.defaultPath) or pass -i FILE")
            }
            return FleetPlan(context: context, renderer: renderer, inventory: nil, repoErrors: errors, hosts: [], hostErrors: [:])
        }
        var hostErrors: [String: [Diagnostic]] = [:]
        var hostScoped: Set<String> = []
        for host in renderer.targetHosts {
            let env = RenderEnvironment.validation(host: host, hostVars: inventory.vars(for: host))
            let own = renderer.renderCollecting(host: host, environment: env).1.filter { $0.severity == .error }
            if !own.isEmpty { hostErrors[host] = own }
            hostScoped.formUnion(own.map(\.description))
        }
        // A banned provider in a host's own vars is reported once by validation, naming the hosts.
        for finding in InventoryCheck().bannedProviderFindings(inventory, policy: context.policy) {
            for host in finding.hosts { hostErrors[host, default: []].append(finding.diagnostic) }
            hostScoped.insert(finding.diagnostic.description)
        }
        var hosts = renderer.targetHosts
        if let limit {
            let limited = Set(inventory.hosts(matching: limit))
            hosts = hosts.filter { limited.contains($0) }
            if hosts.isEmpty && errors.isEmpty {
                throw CommandFailure(
                    description:
                        "--limit '\(limit)' matches no host the playbook targets (targets: \(renderer.targetHosts.joined(separator: ", ")))"
                )
            }
        }
        let repoErrors = errors.filter { !hostScoped.contains($0.description) }
        return FleetPlan(
            context: context, renderer: renderer, inventory: inventory, repoErrors: repoErrors, hosts: hosts,
            hostErrors: hostErrors)
    }
}

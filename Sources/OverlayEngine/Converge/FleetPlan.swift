import Foundation
import OverlayCore

/// The repo validated for a converge and the hosts it acts on (SPEC §3.4).
///
/// A repo-wide error (config.yaml, cron syntax, policy, the inventory) stops everything
/// before any host is touched; an error found rendering a host (its vars name a banned
/// provider, a template variable undefined for it) fails that host alone. Validation renders
/// no host here: each selected host is rendered once, by its own converge (local or SSH), and
/// that render reports every problem a validation render would, for that host alone — so a
/// host is rendered once, not twice, and hosts `--limit` leaves out not at all.
public struct FleetPlan: Sendable {
    /// The validated repo (its `renders` tally counts what this converge rendered).
    public var context: ValidationContext
    /// Renders each host's golden state.
    public var renderer: GoldenStateRenderer
    /// The inventory (nil only when `repoErrors` explains why there is none).
    public var inventory: Inventory?
    /// Errors that are not any single host's: nothing may be applied.
    public var repoErrors: [Diagnostic]
    /// The hosts to converge, in inventory order: the playbook's `hosts` and `--limit`.
    public var hosts: [String]
    /// Each host's own errors (validation environment), when it has any.
    public var hostErrors: [String: [Diagnostic]]

    /// Validates `source` for the hosts matching `limit` and selects them.
    public static func make(source: RepoSource, limit: String?) throws(SourceError) -> FleetPlan {
        // The hosts are known before validating; the converge renders them.
        let scoping = try source.context()
        guard let scopeRenderer = GoldenStateRenderer(context: scoping) else { throw .noGoldenState(purpose: .converge) }
        var hosts = scopeRenderer.targetHosts
        if let limit, let inventory = scoping.inventory {
            let limited = Set(inventory.hosts(matching: limit))
            hosts = hosts.filter { limited.contains($0) }
        }
        let context = ValidationContext(rebinding: scoping, hostScope: [])
        let errors = Validator().validate(context).diagnostics.filter { $0.severity == .error }
        guard let renderer = GoldenStateRenderer(context: context) else { throw .noGoldenState(purpose: .converge) }
        guard let inventory = context.inventory else {
            guard !errors.isEmpty else { throw .noInventory(purpose: .converge) }
            return FleetPlan(context: context, renderer: renderer, inventory: nil, repoErrors: errors, hosts: [], hostErrors: [:])
        }
        if let limit, hosts.isEmpty, errors.isEmpty { throw .limitMatchesNothing(limit, targets: renderer.targetHosts) }
        var hostErrors: [String: [Diagnostic]] = [:]
        for error in errors {
            for host in error.hosts { hostErrors[host, default: []].append(error) }
        }
        return FleetPlan(
            context: context, renderer: renderer, inventory: inventory, repoErrors: errors.filter(\.hosts.isEmpty), hosts: hosts,
            hostErrors: hostErrors)
    }
}

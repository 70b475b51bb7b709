import Foundation
import OverlayCore

/// Picks the inventory host a host-scoped command (`apply`, `diff`, `cron diff`, `pull`, the
/// deadman check) acts for (SPEC §3.2).
public enum HostSelection {
    /// `requested`, else the local target host named like this machine, else the single local
    /// target host, else the only target host. `candidates` are the golden state's hosts.
    public static func select(
        requested: String?, inventory: Inventory?, candidates: [String]? = nil, hostName: String
    ) throws(SourceError) -> String {
        let hosts = inventory?.hostNames ?? []
        if let requested {
            guard hosts.isEmpty || hosts.contains(requested) else {
                throw .unknownHost(requested, suggestion: Suggest.closest(requested, in: hosts), hosts: hosts)
            }
            return requested
        }
        let pool = candidates ?? hosts
        let short = hostName.split(separator: ".").first.map(String.init) ?? hostName
        let local = pool.filter { inventory?.vars(for: $0)["ansible_connection"]?.stringValue == "local" }
        if let match = local.first(where: { $0 == hostName || $0 == short }) { return match }
        if let match = pool.first(where: { $0 == hostName || $0 == short }) { return match }
        if local.count == 1 { return local[0] }
        if pool.count == 1 { return pool[0] }
        throw pool.isEmpty ? .noHostToActFor : .cannotTellHost(hostName: hostName, candidates: pool)
    }
}

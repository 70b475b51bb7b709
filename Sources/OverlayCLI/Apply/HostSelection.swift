import Foundation
import OverlayCore

/// Picks the inventory host `apply` runs for (SPEC §3.2).
enum HostSelection {
    /// `--host`, else the local host named like this machine, else the single local host, else the only host.
    static func select(requested: String?, inventory: Inventory?, hostname: String = ProcessInfo.processInfo.hostName)
        throws -> String
    {
        let hosts = inventory?.hostNames ?? []
        if let requested {
            guard hosts.isEmpty || hosts.contains(requested) else {
                throw CommandFailure(
                    description: "host '\(requested)' is not in the inventory; hosts: \(hosts.joined(separator: ", "))")
            }
            return requested
        }
        let short = hostname.split(separator: ".").first.map(String.init) ?? hostname
        let local = hosts.filter { inventory?.vars(for: $0)["ansible_connection"]?.stringValue == "local" }
        if let match = local.first(where: { $0 == hostname || $0 == short }) { return match }
        if local.count == 1 { return local[0] }
        if hosts.count == 1 { return hosts[0] }
        throw CommandFailure(
            description: hosts.isEmpty
                ? "no inventory host to apply for; add inventory/hosts.yml or pass --host NAME"
                : "cannot tell which host this machine is; pass --host NAME (hosts: \(hosts.joined(separator: ", ")))")
    }
}

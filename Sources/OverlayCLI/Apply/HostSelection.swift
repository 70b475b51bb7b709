import ArgumentParser
import Foundation
import OverlayCore

/// Picks the inventory host a host-scoped command (`apply`, `diff`, `cron diff`) acts for (SPEC §3.2).
enum HostSelection {
    /// `--host`, else the local target host named like this machine, else the single local
    /// target host, else the only target host. `candidates` are the golden state's hosts.
    static func select(
        requested: String?, inventory: Inventory?, candidates: [String]? = nil,
        hostname: String = ProcessInfo.processInfo.hostName
    ) throws -> String {
        let hosts = inventory?.hostNames ?? []
        if let requested {
            guard hosts.isEmpty || hosts.contains(requested) else {
                let hint = Suggest.closest(requested, in: hosts).map { " — did you mean '\($0)'?" } ?? ""
                throw CommandFailure(
                    description: "host '\(requested)' is not in the inventory\(hint) (hosts: \(hosts.joined(separator: ", ")))")
            }
            return requested
        }
        let pool = candidates ?? hosts
        let short = hostname.split(separator: ".").first.map(String.init) ?? hostname
        let local = pool.filter { inventory?.vars(for: $0)["ansible_connection"]?.stringValue == "local" }
        if let match = local.first(where: { $0 == hostname || $0 == short }) { return match }
        if let match = pool.first(where: { $0 == hostname || $0 == short }) { return match }
        if local.count == 1 { return local[0] }
        if pool.count == 1 { return pool[0] }
        throw CommandFailure(
            description: pool.isEmpty
                ? "no inventory host to act for; add inventory/hosts.yml or pass --host NAME"
                : "cannot tell which host this machine (\(hostname)) is; pass --host NAME (hosts: \(pool.joined(separator: ", ")))")
    }

    /// Accepts `-i` only when it names the repo's own inventory: the renderer reads host
    /// variables from the repo's inventory, and other files are not supported yet.
    static func checkInventoryOption(_ option: String?, root: URL) throws {
        guard let option else { return }
        let given = URL(fileURLWithPath: option, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
            .standardizedFileURL.path
        let own = [Inventory.defaultPath, "inventory/hosts.yaml"].map { root.appendingPathComponent($0).standardizedFileURL.path }
        guard own.contains(given) else {
            throw ValidationError("-i \(option): only the repo's own inventory (\(Inventory.defaultPath)) is supported for now")
        }
    }
}

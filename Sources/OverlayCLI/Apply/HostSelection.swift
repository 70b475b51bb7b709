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

    /// The validation context for `--root` with the inventory of `-i` (default: the repo's own).
    ///
    /// A `-i` file outside the repo is read with its `group_vars/` and `host_vars/`, and its
    /// problems are reported like the repo's own; a missing file or a folder is an error.
    static func context(root: URL, inventory option: String?) throws -> ValidationContext {
        let repo = LoadedRepo(root: root)
        guard let option else { return ValidationContext(repo: repo) }
        let url = URL(fileURLWithPath: option, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
            .standardizedFileURL
        let own = Inventory.repoPaths.map { root.appendingPathComponent($0).standardizedFileURL.path }
        if own.contains(url.path) { return ValidationContext(repo: repo) }
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDir) else {
            throw CommandFailure(description: "inventory file \(option) not found (-i); nothing was changed")
        }
        if isDir.boolValue {
            throw CommandFailure(description: "-i \(option) is a folder; pass the inventory file itself (-i \(option)/hosts.yml)")
        }
        return ValidationContext(repo: repo, inventoryFile: url, reportedAs: option)
    }
}

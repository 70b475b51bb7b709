import ArgumentParser
import Foundation
import OverlayCore

/// Picks the inventory and the host a host-scoped command acts for (SPEC §3.2).
enum HostChoice {
    /// The repo's inventory. The renderer reads host vars from the repo's own
    /// inventory, so `-i` may name that file but not another one (yet).
    static func inventory(_ context: ValidationContext, option: String?, root: URL) throws -> Inventory {
        if let option {
            let url = URL(fileURLWithPath: option, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
            let own = ["inventory/hosts.yml", "inventory/hosts.yaml"].map { root.appendingPathComponent($0).standardizedFileURL.path }
            guard own.contains(url.standardizedFileURL.path) else {
                throw ValidationError("-i \(option): only the repo's own inventory (\(Inventory.defaultPath)) is supported for now")
            }
        }
        guard let inventory = context.inventory else {
            throw CommandFailure(description: "no inventory: add \(Inventory.defaultPath) to the repo")
        }
        return inventory
    }

    /// `--host`, else the target host named like this machine, else the only target host.
    static func host(option: String?, inventory: Inventory, candidates: [String]) throws -> String {
        if let option {
            guard inventory.hostNames.contains(option) else {
                throw ValidationError("host '\(option)' is not in the inventory (hosts: \(inventory.hostNames.joined(separator: ", ")))")
            }
            return option
        }
        let machine = ProcessInfo.processInfo.hostName
        let short = machine.split(separator: ".").first.map(String.init) ?? machine
        if let match = candidates.first(where: { $0 == machine || $0 == short }) { return match }
        if candidates.count == 1 { return candidates[0] }
        throw ValidationError("pass --host NAME: this machine (\(machine)) is none of the golden state's hosts (\(candidates.joined(separator: ", ")))")
    }
}

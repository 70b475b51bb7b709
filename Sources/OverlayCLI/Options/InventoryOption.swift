import ArgumentParser
import Foundation
import OverlayEngine

/// `-i/--inventory FILE`: the inventory to use instead of the repo's own.
struct InventoryOption: ParsableArguments {
    @Option(
        name: [.customShort("i"), .customLong("inventory")], help: "The inventory file (default: the repo's inventory/hosts.yml).")
    var inventory: String?

    /// The repo at `--root` with this inventory.
    func source(_ global: GlobalOptions) -> RepoSource {
        RepoSource(root: global.rootURL, inventory: inventory)
    }
}

/// `--host NAME` and `-i`: the inventory host a command acts for, and its inventory.
struct HostOptions: ParsableArguments {
    @Option(help: "The inventory host (default: the host named like this machine, else the only one).")
    var host: String?

    @OptionGroup var inventory: InventoryOption
}

/// `--lock-timeout SECONDS`: how long to wait for another overlay process's lock (then exit 75).
struct LockTimeoutOption: ParsableArguments {
    @Option(help: "Seconds to wait for another overlay process's lock (then exit 75).")
    var lockTimeout: Double = 60

    func validate() throws {
        guard lockTimeout.isFinite, lockTimeout >= 0 else {
            throw ValidationError("--lock-timeout must be a number of seconds, 0 or more (got \(lockTimeout))")
        }
    }
}

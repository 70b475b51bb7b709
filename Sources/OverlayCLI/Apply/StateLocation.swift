import ArgumentParser
import Foundation
import OverlayCore
import OverlayRuntime

/// `--host` and `-i`: whose state dir `status`, `generations` and `rollback` read.
struct StateHostOptions: ParsableArguments {
    @Option(help: "The inventory host whose state dir to use (default: the host apply picks on this machine).")
    var host: String?

    @Option(
        name: [.customShort("i"), .customLong("inventory")], help: "The inventory file (default: the repo's inventory/hosts.yml).")
    var inventory: String?
}

/// The state dir for commands that do not render (generations, rollback, status).
enum StateLocation {
    /// The state dir apply uses for the host: with an inventory (the repo's, or `-i`), the host
    /// is picked as apply picks it and its `overlay_state_dir` / `overlay_home` count; without
    /// one, the environment alone decides (`fromEnvironment`).
    static func resolve(
        root: URL, options: StateHostOptions, environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> StateDirectory {
        // Only an overlay repo (or -i) has hosts: anywhere else the environment decides, without
        // reading the folder the command happens to run in.
        let hasInventory = Inventory.repoPaths.contains { FileManager.default.fileExists(atPath: root.appendingPathComponent($0).path) }
        guard options.inventory != nil || hasInventory else {
            if let host = options.host {
                throw CommandFailure(
                    description:
                        "--host \(host) needs the inventory that names its state dir: run in the overlay repo (--root DIR) or pass -i FILE")
            }
            return fromEnvironment(environment)
        }
        let context = try HostSelection.context(root: root, inventory: options.inventory)
        let problems = (context.externalInventoryProblems ?? context.inventory?.diagnostics ?? []).filter { $0.severity == .error }
        guard let inventory = context.inventory, problems.isEmpty else {
            let listed =
                problems.isEmpty
                ? "\(Inventory.defaultPath) does not parse; run overlay validate" : problems.map(\.description).joined(separator: "\n")
            throw CommandFailure(description: "cannot read the inventory to find the host's state dir:\n\(listed)")
        }
        let candidates = GoldenStateRenderer(context: context)?.targetHosts
        let name: String
        do { name = try HostSelection.select(requested: options.host, inventory: inventory, candidates: candidates) } catch {
            // Reading state is harmless: without --host, an inventory that cannot tell which
            // host this is falls back to the environment's state dir, and says so.
            guard options.host == nil else { throw error }
            let dir = fromEnvironment(environment)
            Output.log("\(error); reading the state dir \(dir.path) — pass --host NAME to read a host's own")
            return dir
        }
        return forHost(vars: inventory.vars(for: name), environment: environment)
    }

    /// The state dir of a host with inventory variables `vars`: its `overlay_state_dir` (`~` is
    /// the host's home: `overlay_home`, else `$HOME`), else the environment's.
    static func forHost(vars: Value, environment: [String: String]) -> StateDirectory {
        let home = RenderEnvironment.local(hostVars: vars, processEnvironment: environment).home
        return StateDirectory.resolve(environment: environment, home: home, hostOverride: vars["overlay_state_dir"]?.stringValue)
    }

    /// `$OVERLAY_STATE_DIR`, else `$XDG_STATE_HOME/overlay`, else `~/.local/state/overlay`.
    static func fromEnvironment(_ env: [String: String] = ProcessInfo.processInfo.environment) -> StateDirectory {
        StateDirectory.resolve(environment: env, home: env["HOME"] ?? NSHomeDirectory())
    }
}

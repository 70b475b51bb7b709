import Foundation
import OverlayCore
import OverlayRuntime

/// Where a host's state dir is: for commands that render (the host's vars) and for those that
/// only read state (`status`, `generations`, `rollback`, the deadman).
public enum StateLocation {
    /// The state dir found for a state command, and the notice to show when it is a fallback.
    public struct Lookup: Sendable {
        /// The state dir.
        public var stateDir: StateDirectory
        /// The host it belongs to, when the inventory told.
        public var host: String?
        /// Set when the host could not be told and the environment's state dir is used.
        public var notice: String?
    }

    /// The state dir apply uses for the host: with an inventory (the repo's, or `-i`), the host
    /// is picked as apply picks it and its `overlay_state_dir` / `overlay_home` count; without
    /// one, the environment alone decides (`fromEnvironment`).
    public static func resolve(
        source: RepoSource, host: String?, environment: EngineEnvironment
    ) throws(SourceError) -> Lookup {
        // Only an overlay repo (or -i) has hosts: anywhere else the environment decides, without
        // reading the folder the command happens to run in.
        guard source.inventory != nil || source.hasOwnInventory else {
            if let host { throw .hostNeedsInventory(host) }
            return Lookup(stateDir: fromEnvironment(environment))
        }
        let context = try source.context()
        let problems = (context.externalInventoryProblems ?? context.inventory?.diagnostics ?? []).filter { $0.severity == .error }
        guard let inventory = context.inventory, problems.isEmpty else { throw .inventoryBroken(problems: problems) }
        let candidates = GoldenStateRenderer(context: context)?.targetHosts
        let name: String
        do {
            name = try HostSelection.select(
                requested: host, inventory: inventory, candidates: candidates, hostName: environment.hostName)
        } catch {
            // Reading state is harmless: without --host, an inventory that cannot tell which
            // host this is falls back to the environment's state dir, and says so.
            guard host == nil else { throw error }
            let dir = fromEnvironment(environment)
            return Lookup(
                stateDir: dir, notice: "\(error); reading the state dir \(dir.path) — pass --host NAME to read a host's own")
        }
        return Lookup(stateDir: forHost(vars: inventory.vars(for: name), environment: environment), host: name)
    }

    /// The state dir of a host with inventory variables `vars`: its `overlay_state_dir` (`~` is
    /// the host's home: `overlay_home`, else `$HOME`), else the environment's.
    public static func forHost(vars: Value, environment: EngineEnvironment) -> StateDirectory {
        let home = RenderEnvironment.local(hostVars: vars, processEnvironment: environment.variables).home
        return StateDirectory.resolve(
            environment: environment.variables, home: home, hostOverride: vars["overlay_state_dir"]?.stringValue)
    }

    /// `$OVERLAY_STATE_DIR`, else `$XDG_STATE_HOME/overlay`, else `~/.local/state/overlay`.
    public static func fromEnvironment(_ environment: EngineEnvironment) -> StateDirectory {
        StateDirectory.resolve(environment: environment.variables, home: environment.home)
    }
}

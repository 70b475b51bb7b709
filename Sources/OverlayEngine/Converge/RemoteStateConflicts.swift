import Foundation
import OverlayCore
import OverlayRuntime

/// SSH hosts that reach one machine and resolve to one state dir there, found before any
/// host runs (SPEC §3.4). Their state dirs are often known only from the remote `$HOME`
/// (`~/.local/state/overlay` by default, `overlay_home` written out or not), so the hosts
/// that share a machine — the same address, port and ssh options — are asked for it first,
/// side by side; a host alone on its machine is not asked twice.
enum RemoteStateConflicts {
    /// A message for every host that shares its resolved state dir with another.
    static func find(
        _ hosts: [String], inventory: Inventory, renderer: GoldenStateRenderer, environment: EngineEnvironment,
        settings: ConvergeSettings
    ) -> [String: String] {
        var byMachine: [String: [SSHHostConverge]] = [:]
        for host in hosts {
            let vars = inventory.vars(for: host)
            guard case .ssh(let target)? = try? HostConnection.of(host: host, vars: vars) else { continue }
            byMachine[SSHHostConverge.machine(target), default: []].append(
                SSHHostConverge(host: host, vars: vars, target: target, renderer: renderer, environment: environment, settings: settings))
        }
        let shared = byMachine.values.filter { $0.count > 1 }.flatMap { $0 }
        guard !shared.isEmpty else { return [:] }
        // A host that cannot be reached now is left to its own run, which reports it.
        let places = Parallel.map(shared, width: settings.options.forks) { converge -> (SSHHostConverge, String)? in
            guard case .success(let place) = converge.locate() else { return nil }
            return (converge, HomePath.normalize(place.stateDir) ?? place.stateDir)
        }.compactMap { $0 }
        var out: [String: String] = [:]
        let groups = Dictionary(grouping: places) { SSHHostConverge.machine($0.0.target) + "\u{0}" + $0.1 }
        for group in groups.values where group.count > 1 {
            let names = group.map(\.0.host).sorted { a, b in (hosts.firstIndex(of: a) ?? 0) < (hosts.firstIndex(of: b) ?? 0) }
            for (converge, stateDir) in group {
                out[converge.host] =
                    "hosts \(names.joined(separator: ", ")) share the state dir \(stateDir) on \(converge.target.shown) (the same machine, reached two ways); give each its own overlay_state_dir (and overlay_home)"
            }
        }
        return out
    }
}

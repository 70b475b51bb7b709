import Foundation
import OverlayCore
import OverlayRuntime

/// Converges the selected hosts: in batches of `serial`, up to `forks` at once, stopping a
/// rolling update when a batch fails more than `maxFailPercentage` (SPEC §3.4).
struct ConvergeRun {
    var plan: FleetPlan
    var settings: ConvergeSettings
    var environment: EngineEnvironment

    private var forks: Int { settings.options.forks }
    private var serial: Int? { settings.options.serial }
    private var maxFailPercentage: Double? { settings.options.maxFailPercentage }

    /// Every selected host's outcome, in the plan's order.
    func run() -> [HostOutcome] {
        guard let inventory = plan.inventory else { return [] }
        let batchSize = max(serial ?? plan.hosts.count, 1)
        let sharedStateDirs = Self.sharedStateDirs(plan.hosts, inventory: inventory, environment: environment)
        var outcomes: [HostOutcome] = []
        var stoppedBy: String?
        for start in stride(from: 0, to: plan.hosts.count, by: batchSize) {
            let batch = Array(plan.hosts[start..<min(start + batchSize, plan.hosts.count)])
            if let stoppedBy {
                outcomes += batch.map { HostOutcome(host: $0, status: .skipped, error: stoppedBy) }
                continue
            }
            let results = Parallel.map(batch, width: forks) { host in
                let outcome = converge(host, vars: inventory.vars(for: host), sharedStateDir: sharedStateDirs[host])
                if environment.showsProgress { environment.log("\(outcome.host): \(outcome.status.rawValue)") }
                return outcome
            }
            outcomes += results
            let failed = results.filter(\.failedOrUnreachable).count
            if let limit = maxFailPercentage, Double(failed) * 100 > limit * Double(batch.count),
                start + batchSize < plan.hosts.count
            {
                stoppedBy =
                    "not run: \(failed) of \(batch.count) host(s) in the previous batch failed, over --max-fail-percentage \(Self.percent(limit))"
            }
        }
        return outcomes
    }

    private func converge(_ host: String, vars: Value, sharedStateDir: String?) -> HostOutcome {
        if let errors = plan.hostErrors[host] {
            return .failed(host, "validation failed for this host:\n" + errors.map(\.description).joined(separator: "\n"))
        }
        let connection: HostConnection
        do { connection = try HostConnection.of(host: host, vars: vars) } catch { return .failed(host, error.description) }
        if let sharedStateDir { return .failed(host, sharedStateDir) }
        switch connection {
        case .local:
            let stateDir = StateLocation.forHost(vars: vars, environment: environment)
            return LocalHostConverge(
                host: host, vars: vars, renderer: plan.renderer, environment: environment, stateDir: stateDir, settings: settings
            ).run()
        case .ssh(let target):
            return SSHHostConverge(
                host: host, vars: vars, target: target, renderer: plan.renderer, environment: environment, settings: settings
            ).run()
        }
    }

    /// Hosts that resolve to one state dir on one machine would undo each other's
    /// generations on every run: each of them fails with the reason, before anything is
    /// applied. Local hosts share this machine; SSH hosts share an address, port and user.
    static func sharedStateDirs(_ hosts: [String], inventory: Inventory, environment: EngineEnvironment) -> [String: String] {
        var byDir: [String: [String]] = [:]
        var shown: [String: String] = [:]
        for host in hosts {
            let vars = inventory.vars(for: host)
            let key: String
            switch try? HostConnection.of(host: host, vars: vars) {
            case .local:
                key = StateLocation.forHost(vars: vars, environment: environment).path
                shown[key] = "\(key) on this machine"
            case .ssh(let target):
                // Before connecting, `~` stands for the remote user's home.
                let home = vars["overlay_home"]?.stringValue ?? "~"
                let dir = SSHHostConverge.stateDir(vars: vars, home: home)
                key = "\(target.shown)|\(dir)"
                shown[key] = "\(dir) on \(target.shown)"
            case nil: continue
            }
            byDir[key, default: []].append(host)
        }
        var out: [String: String] = [:]
        for (key, names) in byDir where names.count > 1 {
            for name in names {
                out[name] =
                    "hosts \(names.joined(separator: ", ")) share the state dir \(shown[key] ?? key); give each its own overlay_state_dir (and overlay_home)"
            }
        }
        return out
    }

    static func percent(_ value: Double) -> String {
        value == value.rounded() ? "\(Int(value))%" : "\(value)%"
    }
}

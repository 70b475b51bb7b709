import Foundation
import OverlayCore
import OverlayRuntime

/// Converges the selected hosts in the batches of `--serial`, up to `--forks` at once
/// (SPEC §3.4). As Ansible does with `serial:`, a rolling update stops after a batch in which
/// more than `--max-fail-percentage` of the hosts failed, or in which every host failed; the
/// hosts it never reached are reported `skipped`.
struct ConvergeRun {
    var plan: FleetPlan
    var settings: ConvergeSettings
    var environment: EngineEnvironment

    /// Every selected host's outcome, in the plan's order.
    func run() -> [HostOutcome] {
        guard let inventory = plan.inventory else { return [] }
        let local = FleetConflicts.find(
            plan.hosts, inventory: inventory, environment: environment, managedScope: plan.renderer.declaresManagedScope)
        let remote = RemoteStateConflicts.find(
            plan.hosts.filter { local[$0] == nil }, inventory: inventory, renderer: plan.renderer, environment: environment,
            settings: settings)
        let conflicts = local.merging(remote) { first, _ in first }
        let batches = settings.options.serial.batches(plan.hosts)
        let crontabs = sharedCrontabs(inventory)
        var outcomes: [HostOutcome] = []
        var stoppedBy: String?
        for (index, batch) in batches.enumerated() {
            if let signal = settings.options.interrupt?.requested {
                outcomes += batch.map { Self.notStarted($0, signal: signal, batch: index + 1) }
                continue
            }
            if let stoppedBy {
                outcomes += batch.map { HostOutcome(host: $0, status: .skipped, error: stoppedBy, batch: index + 1) }
                continue
            }
            var results = Parallel.map(batch, width: settings.options.forks) { host in
                if let signal = settings.options.interrupt?.requested { return Self.notStarted(host, signal: signal, batch: index + 1) }
                var outcome = converge(host, vars: inventory.vars(for: host), conflict: conflicts[host], crontabs: crontabs)
                outcome.batch = index + 1
                if environment.showsProgress && !outcome.cronDeferred { environment.log("\(outcome.host): \(outcome.status.rawValue)") }
                return outcome
            }
            if let crontabs { results = installShared(crontabs, into: results) }
            outcomes += results
            if index + 1 < batches.count { stoppedBy = stopReason(results) }
        }
        return outcomes
    }

    /// Why the batches after `results` must not run, or nil to go on.
    private func stopReason(_ results: [HostOutcome]) -> String? {
        let failed = results.filter(\.failedOrUnreachable).count
        if let limit = settings.options.maxFailPercentage, Double(failed) * 100 > limit * Double(results.count) {
            return
                "not run: \(failed) of \(results.count) host(s) in the previous batch failed, over --max-fail-percentage \(Self.percent(limit))"
        }
        if failed == results.count && !settings.options.serial.steps.isEmpty {
            return "not run: every host of the previous batch failed (\(failed) of \(results.count)); the rolling update stops"
        }
        return nil
    }

    /// The batch for crontabs two or more local hosts share, nil when none is shared.
    private func sharedCrontabs(_ inventory: Inventory) -> CrontabBatch? {
        let targets = plan.hosts.compactMap { host -> String? in
            let vars = inventory.vars(for: host)
            guard case .local? = try? HostConnection.of(host: host, vars: vars) else { return nil }
            return (try? CrontabTarget.resolve(hostVars: vars, environment: environment.variables))?.description
        }
        let batch = CrontabBatch(targets: targets)
        return batch.isEmpty ? nil : batch
    }

    /// Installs the shared crontabs of a finished batch's hosts and completes their outcomes.
    private func installShared(_ crontabs: CrontabBatch, into results: [HostOutcome]) -> [HostOutcome] {
        let installed = crontabs.flush(dryRun: settings.check)
        return results.map { outcome in
            guard case .local(var result) = outcome.detail, result.cronDeferred, let cron = installed[outcome.host] else { return outcome }
            result.cron = cron
            var done = LocalHostConverge.finish(result, settings: settings)
            done.batch = outcome.batch
            if environment.showsProgress { environment.log("\(done.host): \(done.status.rawValue)") }
            return done
        }
    }

    private func converge(_ host: String, vars: Value, conflict: String?, crontabs: CrontabBatch?) -> HostOutcome {
        if let errors = plan.hostErrors[host] {
            return .failed(host, "validation failed for this host:\n" + errors.map(\.description).joined(separator: "\n"))
        }
        let connection: HostConnection
        do { connection = try HostConnection.of(host: host, vars: vars) } catch { return .failed(host, error.description) }
        if let conflict { return .failed(host, conflict) }
        switch connection {
        case .local:
            let stateDir = StateLocation.forHost(vars: vars, environment: environment)
            return LocalHostConverge(
                host: host, vars: vars, renderer: plan.renderer, environment: environment, stateDir: stateDir, settings: settings
            ).run(crontabs: crontabs)
        case .ssh(let target):
            return SSHHostConverge(
                host: host, vars: vars, target: target, renderer: plan.renderer, environment: environment, settings: settings
            ).run()
        }
    }

    /// A host an interrupted converge never began.
    static func notStarted(_ host: String, signal: String, batch: Int) -> HostOutcome {
        HostOutcome(host: host, status: .notStarted, error: "not started: the converge was interrupted (\(signal))", batch: batch)
    }

    static func percent(_ value: Double) -> String {
        value == value.rounded() ? "\(Int(value))%" : "\(value)%"
    }
}

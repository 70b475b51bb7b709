import Foundation
import OverlayCore
import OverlayRuntime

/// The crontab steps of a converge's local hosts that share one crontab, installed together once
/// their batch is done: one lock, one read and at most one write of that crontab per batch,
/// instead of one of each per host (which made a shared crontab quadratic in the hosts).
///
/// A host's block is installed only if the generation its apply made live is still live when the
/// batch installs (checked under the crontab's lock): a newer apply or rollback of that host in
/// between installs its own jobs, which stay. Hosts with a crontab of their own install theirs
/// inside their apply, as `overlay apply` does.
final class CrontabBatch: @unchecked Sendable {
    private let lock = NSLock()
    private let shared: Set<String>
    private var pending: [(crontab: ManagedCrontab, install: CrontabInstall)] = []

    /// A batch for `targets`: the crontab of each local host, by host.
    init(targets: [String]) {
        var seen: Set<String> = []
        var shared: Set<String> = []
        for target in targets where !seen.insert(target).inserted { shared.insert(target) }
        self.shared = shared
    }

    /// True when `target` is shared by two or more of the converge's local hosts.
    func takes(_ target: CrontabTarget) -> Bool { shared.contains(target.description) }

    /// True when no crontab is shared (nothing will ever wait here).
    var isEmpty: Bool { shared.isEmpty }

    /// Queues `step`'s jobs; `live` is the generation its apply left live (nil: none).
    func enqueue(_ step: CrontabStep, live: Int?, stateDir: StateDirectory) {
        let install = CrontabInstall(host: step.host, jobs: step.jobs) {
            GenerationStore(state: stateDir).currentNumber() == live
        }
        lock.withLock { pending.append((step.crontab, install)) }
    }

    /// Installs everything queued, one crontab at a time, and empties the queue; by host.
    func flush(dryRun: Bool) -> [String: CrontabOutcome] {
        let queued = lock.withLock {
            defer { pending = [] }
            return pending
        }
        var byTarget: [String: (crontab: ManagedCrontab, installs: [CrontabInstall])] = [:]
        var order: [String] = []
        for (crontab, install) in queued {
            let key = crontab.target.description
            if byTarget[key] == nil { order.append(key) }
            byTarget[key, default: (crontab, [])].installs.append(install)
        }
        var outcomes: [String: CrontabOutcome] = [:]
        for key in order {
            guard let (crontab, installs) = byTarget[key] else { continue }
            for (install, result) in zip(installs, crontab.install(many: installs, dryRun: dryRun)) {
                switch result {
                case .success(let change):
                    // Left alone (a newer generation went live meanwhile): that run installs its own jobs.
                    outcomes[install.host] = CrontabOutcome(target: key, change: change ?? CrontabChange(), error: nil, dryRun: dryRun)
                case .failure(let error):
                    outcomes[install.host] = CrontabOutcome(target: key, change: nil, error: error.description, dryRun: dryRun)
                }
            }
        }
        return outcomes
    }
}

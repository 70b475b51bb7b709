import Foundation

/// One managed path that changed behind overlay's back.
public struct DriftItem: Sendable, Equatable {
    /// How the path drifted.
    public enum Kind: String, Sendable {
        /// The content (or mode) differs from the live generation.
        case edited
        /// Something else (an unmanaged file, another symlink) is at the path.
        case replaced
        /// The path is gone.
        case deleted
    }

    public var path: String
    public var kind: Kind
}

/// Compares the live generation with the homes: the plan of re-applying it, read as drift.
public struct DriftDetector: Sendable {
    let state: StateDirectory

    public init(state: StateDirectory) { self.state = state }

    /// Drifted paths of the live generation (empty before the first apply, and while `current`
    /// points at a missing generation: `GenerationStore.live()` reports that).
    public func detect() throws(ApplyError) -> [DriftItem] {
        let store = GenerationStore(state: state)
        guard case .generation(let n) = store.live() else { return [] }
        let current = try store.load(n)
        let guardrail = PathGuard(homes: current.homes, protected: current.protected ?? [])
        let builder = PlanBuilder(
            state: state, current: current, ledger: try ManagedLedger.load(state), guardrail: guardrail)
        let plan = try builder.build(
            host: current.host, homes: current.homes,
            targets: try TargetFiles.from(current, state: state, guardrail: guardrail))
        return plan.items.compactMap { item in
            switch item.action {
            case .unchanged, .kept, .deleted, .restoredBackup: return nil
            case .created: return DriftItem(path: item.path, kind: .deleted)
            case .restored where item.reason == PlanBuilder.replacedReason:
                return DriftItem(path: item.path, kind: .replaced)
            case .restored where item.reason == "deleted behind overlay's back":
                return DriftItem(path: item.path, kind: .deleted)
            default: return DriftItem(path: item.path, kind: .edited)
            }
        }
    }
}

extension DriftDetector {
    /// The live generation's crontab block compared with what is installed: after a failed
    /// crontab install or an interrupted converge the files are new and the block is old.
    /// Nil before the first apply, or when the generation recorded no cron jobs.
    public func crontab() -> CrontabStatus? {
        let store = GenerationStore(state: state)
        guard case .generation(let n) = store.live(), let current = try? store.load(n), let cron = current.cron else { return nil }
        var status = CrontabStatus(target: cron.target, host: current.host, generation: n)
        do {
            let target = try CrontabTarget(parsing: cron.target)
            status.drift = try ManagedCrontab(target: target).diff(jobs: cron.renderedJobs, host: current.host)
        } catch {
            status.error = error.description
        }
        return status
    }
}

/// Whether a host's installed crontab block is the one its live generation recorded.
public struct CrontabStatus: Sendable, Equatable {
    /// `user` or `file:PATH`, as recorded with the generation.
    public var target: String
    public var host: String
    /// The live generation whose jobs are compared.
    public var generation: Int
    /// The difference; nil when the crontab could not be read.
    public var drift: CrontabDrift?
    /// Why the crontab could not be read.
    public var error: String?

    /// True when the block holds exactly the generation's jobs.
    public var inSync: Bool { error == nil && drift?.hasDrift == false }

    /// One line for `status`: in sync, or what differs and how to fix it.
    public var summary: String {
        if let error { return "crontab \(target): cannot be compared with generation \(generation): \(error)" }
        guard let drift, drift.hasDrift else { return "crontab \(target): in sync with generation \(generation)" }
        var parts: [String] = []
        if !drift.missing.isEmpty { parts.append("missing \(drift.missing.joined(separator: ", "))") }
        if !drift.changed.isEmpty { parts.append("changed \(drift.changed.joined(separator: ", "))") }
        if !drift.extra.isEmpty { parts.append("not in the generation \(drift.extra.joined(separator: ", "))") }
        if !drift.strays.isEmpty { parts.append("\(drift.strays.count) stray line(s)") }
        return
            "crontab \(target): the block of host \(host) differs from generation \(generation) (files and crontab disagree): "
            + parts.joined(separator: "; ") + "; run 'overlay apply' to reinstall it"
    }
}

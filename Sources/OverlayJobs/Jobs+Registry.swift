import Foundation
import OverlayCore
import OverlayRuntime

extension Jobs {
    /// The promote target of a playbook: its only promote step's `to`, or the step named.
    public static func promoteTarget(of playbook: JobPlaybook, step name: String?, workdir: String) throws(JobsError) -> String {
        let promotes = playbook.steps.compactMap { step -> (String, PromoteSpec)? in
            if case .promote(let spec) = step.action { return (step.name, spec) }
            return nil
        }
        if let name {
            guard let found = promotes.first(where: { $0.0 == name }) else {
                throw .noPromoteStep(
                    playbook: playbook.name,
                    detail: "no promote step '\(name)' (promote steps: \(promotes.map(\.0).joined(separator: ", ")))")
            }
            return WorkPath.resolve(found.1.to, in: workdir)
        }
        guard let only = promotes.first else { throw .noPromoteStep(playbook: playbook.name, detail: "it has no promote step") }
        guard promotes.count == 1 else {
            throw .noPromoteStep(
                playbook: playbook.name,
                detail: "it has several promote steps (\(promotes.map(\.0).joined(separator: ", "))); pass --step NAME")
        }
        return WorkPath.resolve(only.1.to, in: workdir)
    }

    /// `overlay jobs rollback PLAYBOOK [--to N]`: switches the target back to version `to`, or
    /// to the version that was live before the current one was promoted. Takes the playbook's
    /// lock, so it never races a run's promote.
    public static func rollback(
        _ playbook: JobPlaybook, step: String?, to version: Int?, jobs: JobsDirectory, workdir: String?,
        settings: RunSettings = RunSettings(),
        clock: any WallClock = SystemClock()
    ) throws(JobsError) -> PromotionRecord {
        let ledger = try jobs.openLedger()
        // The working directory of the playbook's latest run, unless told otherwise.
        let latest = try ledger.runs(playbook: playbook.name, limit: 1).first?.workdir
        let dir = workdir ?? latest ?? jobs.workspace(playbook: playbook.name)
        let target = try promoteTarget(of: playbook, step: step, workdir: dir)
        let lock = try RunLock.acquire(path: jobs.lockPath(playbook: playbook.name), playbook: playbook.name, timeout: settings.lockTimeout)
        {
            (try? ledger.unfinishedRuns(playbook: playbook.name))?.last?.id
        }
        defer { lock.release() }
        let registry = ModelRegistry(target: target)
        guard let live = try registry.liveVersion() else { throw .registry("\(target) has no live version yet: nothing to roll back") }
        let destination: Int
        if let version {
            destination = version
        } else {
            // The version that was live before the live one was promoted: rolling back twice
            // goes two versions back, not back and forth.
            let history = try ledger.promotions(playbook: playbook.name, target: target)
            guard let arrival = history.last(where: { $0.version == live && $0.kind == .promote }), let previous = arrival.previous else {
                throw .registry(
                    "\(target) is at version \(live) and the ledger records no version before it; pass --to N (versions: \(registry.versions().map(String.init).joined(separator: ", ")))"
                )
            }
            destination = previous
        }
        guard destination != live else { throw .registry("\(target) is already at version \(live)") }
        try registry.switchTarget(to: destination)
        let id = try ledger.recordPromotion(
            playbook: playbook.name, kind: .rollback, run: nil, step: nil, target: target, version: destination, previous: live,
            at: clock.now())
        return PromotionRecord(
            id: id, playbook: playbook.name, kind: .rollback, run: nil, step: nil, target: target, version: destination, previous: live,
            at: clock.now(), gateSummary: nil)
    }

    /// `overlay jobs history PLAYBOOK`: every promotion and rollback, oldest first, with the
    /// gate verdict of the promoting run; and the live version of each target.
    public static func history(_ playbook: String, jobs: JobsDirectory) throws(JobsError) -> [PromotionRecord] {
        guard let ledger = try jobs.existingLedger() else { return [] }
        return try ledger.promotions(playbook: playbook)
    }
}

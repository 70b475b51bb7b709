import Foundation
import OverlayCore

/// What `overlay jobs run --dry-run` shows: the order and what each `when` says now.
public struct RunPlan: Sendable {
    /// One step of the plan.
    public struct Step: Sendable {
        public var step: JobStep
        /// Its depth: steps of one level may run side by side.
        public var level: Int
        /// What its `when` says now (nil: it has none). Upstream steps may change it.
        public var condition: ConditionOutcome?
    }

    public var playbook: JobPlaybook
    public var host: String?
    public var workdir: String
    /// Steps by level, then in file order.
    public var steps: [Step]
    /// The promote targets' live versions now.
    public var liveVersions: [String: Int]
}

extension Jobs {
    /// The plan of a run, without running, locking or recording anything.
    public static func plan(_ request: RunRequest) -> RunPlan {
        let workdir = request.resolvedWorkdir
        let ledger = try? request.jobs.existingLedger()
        let conditions = StepConditions(workdir: workdir, playbook: request.playbook.name, ledger: ledger)
        let levels = request.playbook.levels
        var steps: [RunPlan.Step] = []
        var live: [String: Int] = [:]
        for step in request.playbook.steps {
            steps.append(
                RunPlan.Step(step: step, level: levels[step.name] ?? 0, condition: step.when.isEmpty ? nil : conditions.evaluate(step)))
            if case .promote(let spec) = step.action,
                let version = try? ModelRegistry(target: WorkPath.resolve(spec.to, in: workdir)).liveVersion()
            {
                live[spec.to] = version
            }
        }
        let order = Dictionary(uniqueKeysWithValues: request.playbook.steps.enumerated().map { ($1.name, $0) })
        steps.sort { ($0.level, order[$0.step.name] ?? 0) < ($1.level, order[$1.step.name] ?? 0) }
        return RunPlan(playbook: request.playbook, host: request.host, workdir: workdir, steps: steps, liveVersions: live)
    }
}

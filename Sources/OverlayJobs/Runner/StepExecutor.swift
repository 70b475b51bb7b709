import Foundation
import OverlayCore
import OverlayRuntime

/// How one step ended.
struct StepOutcome: Sendable {
    var status: StepStatus
    var exitCode: Int32?
    var reason: String?
    var metrics: String?
}

/// Runs one step of a run to its end — its `when`, its provenance check, then its action
/// (a command with retries, a gate or a promotion) — and records each change in the ledger.
struct StepExecutor: Sendable {
    let run: Int64
    let request: RunRequest
    let ledger: JobLedger
    let cancellation: ChildCancellation
    /// Told `true` when the step starts waiting for its resource, `false` when it has it.
    var waiting: (@Sendable (Bool) -> Void)? = nil

    var workdir: String { request.resolvedWorkdir }
    var clock: any WallClock { request.clock }

    /// Runs the step to its end, holding its `resource:` (host-wide) while it runs.
    func execute(_ step: JobStep) -> StepOutcome {
        guard let resource = step.resource else { return executeHeld(step) }
        return withResource(resource, step) { executeHeld(step) }
    }

    private func executeHeld(_ step: JobStep) -> StepOutcome {
        let conditions = StepConditions(workdir: workdir, playbook: request.playbook.name, ledger: ledger).evaluate(step)
        guard conditions.met else { return StepOutcome(status: .skipped, reason: conditions.reason) }
        var outcome: StepOutcome
        if let violation = provenanceProblem(step) {
            record(started: step)
            outcome = StepOutcome(status: .failed, reason: violation)
        } else {
            switch step.action {
            case .run(let command): outcome = runCommand(command, step)
            case .gate(let spec): outcome = decideGate(spec, step)
            case .promote(let spec): outcome = promote(spec, step)
            }
        }
        if outcome.status == .done {
            for print in conditions.fingerprints {
                try? ledger.setFingerprint(
                    playbook: request.playbook.name, step: step.name, path: print.path, digest: print.digest, run: run)
            }
        }
        return outcome
    }

    /// The first records of the step's `provenance:` file that lack what the policy needs.
    func provenanceProblem(_ step: JobStep) -> String? {
        guard let file = step.provenance else { return nil }
        guard let levels = request.consentLevels, !levels.isEmpty else {
            return "provenance of \(file) cannot be checked: \(DataPolicy.path) lists no consent_levels"
        }
        let found = ProvenanceCheck(consentLevels: levels).violations(path: WorkPath.resolve(file, in: workdir), shown: file)
        guard !found.isEmpty else { return nil }
        let more = found.count >= 5 ? " (first 5 shown)" : ""
        return "provenance check failed\(more): " + found.map(\.description).joined(separator: "; ")
    }

    func record(started step: JobStep, log: String? = nil) {
        try? ledger.stepStarted(run: run, step: step.name, log: log, at: clock.now())
    }

    func decideGate(_ spec: GateSpec, _ step: JobStep) -> StepOutcome {
        record(started: step)
        let inputs = GateInputs.digests(step, in: request.playbook, workdir: workdir)
        var verdict = GateDecision.decide(spec, workdir: workdir)
        if let why = request.regated[step.name] { verdict.reason += " (decided again on resume: \(why))" }
        try? ledger.recordGate(run: run, step: step.name, verdict: verdict, inputs: inputs, at: clock.now())
        return StepOutcome(status: verdict.accepted ? .done : .failed, reason: "gate \(verdict.word): \(verdict.reason)")
    }

    func promote(_ spec: PromoteSpec, _ step: JobStep) -> StepOutcome {
        record(started: step)
        let target = WorkPath.resolve(spec.to, in: workdir)
        do {
            let (version, previous) = try ModelRegistry(target: target).promote(from: WorkPath.resolve(spec.from, in: workdir))
            try ledger.recordPromotion(
                playbook: request.playbook.name, kind: .promote, run: run, step: step.name, target: target, version: version,
                previous: previous, at: clock.now())
            let was = previous.map { " (was version \($0))" } ?? " (first version)"
            return StepOutcome(status: .done, reason: "promoted \(spec.from) as version \(version) of \(spec.to)\(was)")
        } catch {
            return StepOutcome(status: .failed, reason: error.description)
        }
    }
}

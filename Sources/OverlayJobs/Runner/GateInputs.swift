import Foundation
import OverlayCore

/// What a gate decides on, as digests: its candidate metrics file and the `from` of every
/// promote step that depends on it. Recorded with the verdict; a resume compares them with
/// the workspace as it is now, because another run of the playbook may have replaced the
/// candidate in the shared workspace since — and a verdict about one candidate must never
/// promote another. (Not the baseline: a runner killed just after its promote switched
/// `registry/current` changed the baseline itself, and the candidate is still the one the
/// gate accepted.)
enum GateInputs {
    /// Path (as written) → SHA-256 (`absent` when it does not exist) of what `gate` decides on.
    static func digests(_ gate: JobStep, in playbook: JobPlaybook, workdir: String) -> [String: String] {
        guard case .gate(let spec) = gate.action else { return [:] }
        var paths = [spec.candidate]
        for name in dependents(of: gate.name, in: playbook) {
            if case .promote(let promote) = playbook.step(name)?.action { paths.append(promote.from) }
        }
        var out: [String: String] = [:]
        for path in paths where out[path] == nil {
            out[path] = StepConditions.digest(WorkPath.resolve(path, in: workdir)) ?? "absent"
        }
        return out
    }

    /// The steps that need `name`, directly or through others, in playbook order.
    static func dependents(of name: String, in playbook: JobPlaybook) -> [String] {
        var children: [String: [String]] = [:]
        for step in playbook.steps { for dep in step.needs { children[dep, default: []].append(step.name) } }
        var seen: Set<String> = []
        var stack = [name]
        while let next = stack.popLast() {
            for child in children[next] ?? [] where seen.insert(child).inserted { stack.append(child) }
        }
        return playbook.steps.map(\.name).filter { seen.contains($0) }
    }

    /// The `done` gate steps of run `run` whose inputs differ from what they decided on (or
    /// were not recorded), each with what changed in words, e.g. `work/candidate.json changed`.
    /// A gate whose verdict was already acted on (a promote after it is `done`) or that has
    /// nothing left to run after it is kept as it is.
    static func stale(
        run: Int64, playbook: JobPlaybook, done: Set<String>, workdir: String, ledger: JobLedger
    ) throws(JobsError)
        -> [(gate: String, why: String)]
    {
        var out: [(gate: String, why: String)] = []
        for step in playbook.steps where done.contains(step.name) {
            guard case .gate = step.action else { continue }
            let after = dependents(of: step.name, in: playbook)
            let promoted = after.contains { name in
                guard done.contains(name), case .promote = playbook.step(name)?.action else { return false }
                return true
            }
            if promoted || after.allSatisfy(done.contains) { continue }
            let now = digests(step, in: playbook, workdir: workdir)
            guard let then = try ledger.gateInputs(run: run, step: step.name) else {
                out.append((step.name, "the ledger holds no record of what it decided on"))
                continue
            }
            let changed = now.keys.sorted().filter { then[$0] != now[$0] }
            if !changed.isEmpty { out.append((step.name, changed.joined(separator: ", ") + " changed since it decided")) }
        }
        return out
    }

    /// Puts every stale `done` gate of run `run` (and the `done` steps after it) back to
    /// `pending`, so the resume decides it again on what is in the workspace now. Returns
    /// each reopened gate with why.
    static func reopenStale(
        run: Int64, playbook: JobPlaybook, workdir: String, ledger: JobLedger
    ) throws(JobsError)
        -> [String: String]
    {
        let done = Set(try ledger.steps(run: run).filter { $0.status == .done }.map(\.name))
        var reopened: [String: String] = [:]
        for (gate, why) in try stale(run: run, playbook: playbook, done: done, workdir: workdir, ledger: ledger) {
            try ledger.reopenSteps(run: run, names: [gate] + dependents(of: gate, in: playbook).filter(done.contains))
            reopened[gate] = why
        }
        return reopened
    }
}

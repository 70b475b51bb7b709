import Foundation
import OverlayCore

/// Decides a gate (SPEC §3.7): compares a candidate's metrics with the baseline's under
/// the gate's policy. Never throws: an unusable file is a rejection that says why.
public enum GateDecision {
    /// Decides `spec`, reading its files relative to `workdir`.
    public static func decide(_ spec: GateSpec, workdir: String) -> GateVerdict {
        var verdict = GateVerdict(
            policy: spec.policy, threshold: spec.threshold, metric: spec.metric, lowerIsBetter: spec.lowerIsBetter, accepted: false,
            reason: "", candidateFile: spec.candidate, baselineFile: spec.baseline, candidate: nil, baseline: nil, comparisons: [])
        do {
            verdict.candidate = try MetricSet.load(path: WorkPath.resolve(spec.candidate, in: workdir), shown: spec.candidate)
            verdict.baseline = try MetricSet.load(path: WorkPath.resolve(spec.baseline, in: workdir), shown: spec.baseline)
        } catch {
            verdict.reason = error.description
            return verdict
        }
        guard let candidate = verdict.candidate else {
            verdict.reason = "candidate metrics \(spec.candidate) not found: the step that evaluates the candidate must write it"
            return verdict
        }
        guard let baseline = verdict.baseline else {
            verdict.accepted = true
            verdict.reason = "no baseline yet (\(spec.baseline) does not exist): the first candidate passes"
            return verdict
        }
        decide(spec, candidate: candidate, baseline: baseline, into: &verdict)
        return verdict
    }

    static func decide(_ spec: GateSpec, candidate: MetricSet, baseline: MetricSet, into verdict: inout GateVerdict) {
        let shared = candidate.names.filter { baseline[$0] != nil }
        guard !shared.isEmpty else {
            verdict.reason =
                "no metric is in both files: candidate has \(list(candidate.names)), baseline has \(list(baseline.names)); the gate cannot compare them"
            return
        }
        let lower = Set(spec.lowerIsBetter)
        verdict.comparisons = shared.map { name in
            compare(name, candidate[name] ?? 0, baseline[name] ?? 0, lowerIsBetter: lower.contains(name), spec: spec)
        }
        let comparisons = verdict.comparisons
        switch spec.policy {
        case .noRegression:
            let failing = comparisons.filter { !$0.passes }
            verdict.accepted = failing.isEmpty
            verdict.reason =
                failing.isEmpty
                ? "no regression beyond threshold \(number(spec.threshold)): \(comparisons.map(explain).joined(separator: ", "))"
                : "regressed beyond threshold \(number(spec.threshold)): \(failing.map(explain).joined(separator: ", "))"
        case .mustImprove:
            let name = spec.metric ?? ""
            guard let c = comparisons.first(where: { $0.name == name }) else {
                let side = candidate[name] == nil ? "the candidate (\(spec.candidate))" : "the baseline (\(spec.baseline))"
                verdict.reason = "metric '\(name)' that must improve is missing from \(side)"
                return
            }
            verdict.accepted = c.change == .better
            verdict.reason =
                c.change == .better
                ? "\(name) improved: \(explain(c))" : "\(name) did not improve (must_improve needs strictly better): \(explain(c))"
        case .paretoDominant:
            let worse = comparisons.filter { $0.change == .worse }
            let better = comparisons.filter { $0.change == .better }
            verdict.accepted = worse.isEmpty && !better.isEmpty
            if !worse.isEmpty {
                verdict.reason = "worse than the baseline: \(worse.map(explain).joined(separator: ", "))"
            } else if better.isEmpty {
                verdict.reason =
                    "no metric improved (pareto_dominant needs at least one): \(comparisons.map(explain).joined(separator: ", "))"
            } else {
                verdict.reason = "none worse, better on \(better.map(explain).joined(separator: ", "))"
            }
        }
    }

    static func compare(_ name: String, _ c: Double, _ b: Double, lowerIsBetter: Bool, spec: GateSpec) -> MetricComparison {
        let change: MetricComparison.Change = c == b ? .equal : ((c < b) == lowerIsBetter ? .better : .worse)
        var comparison = MetricComparison(
            name: name, candidate: c, baseline: b, lowerIsBetter: lowerIsBetter, bound: nil, change: change, passes: change != .worse)
        switch spec.policy {
        case .noRegression:
            // threshold × baseline (÷ for lower-is-better), written as a slack on |baseline| so
            // that a negative metric (a log-likelihood) loosens the bound in the right direction.
            let t = spec.threshold
            let bound = lowerIsBetter ? b + (1 / t - 1) * abs(b) : b - (1 - t) * abs(b)
            comparison.bound = bound
            comparison.passes = lowerIsBetter ? c <= bound : c >= bound
        case .mustImprove:
            comparison.passes = name != spec.metric || change == .better
        case .paretoDominant:
            break
        }
        return comparison
    }

    /// `accuracy 0.82 ≥ 0.79 (baseline 0.81)` for no_regression, `accuracy 0.82 vs 0.81` otherwise.
    static func explain(_ c: MetricComparison) -> String {
        let direction = c.lowerIsBetter ? " (lower is better)" : ""
        if let bound = c.bound {
            let op = c.lowerIsBetter ? (c.passes ? "≤" : ">") : (c.passes ? "≥" : "<")
            return "\(c.name) \(number(c.candidate)) \(op) \(number(bound)) (baseline \(number(c.baseline)))\(direction)"
        }
        return "\(c.name) \(number(c.candidate)) vs \(number(c.baseline))\(direction)"
    }

    static func number(_ d: Double) -> String { String(format: "%.6g", d) }

    static func list(_ names: [String]) -> String { names.isEmpty ? "none" : names.joined(separator: ", ") }
}

import Foundation
import OverlayCore

/// One metric compared between candidate and baseline.
public struct MetricComparison: Sendable, Codable, Equatable {
    public var name: String
    public var candidate: Double
    public var baseline: Double
    /// True when smaller is better for this metric.
    public var lowerIsBetter: Bool
    /// For `no_regression`: the worst value the candidate may have (threshold applied).
    public var bound: Double?
    /// `better`, `equal` or `worse` than the baseline.
    public var change: Change
    /// True when this metric lets the candidate through under the gate's policy.
    public var passes: Bool

    public enum Change: String, Sendable, Codable { case better, equal, worse }
}

/// What a gate decided, with everything it decided on: both metric sets, the policy, the
/// threshold, and each compared metric.
public struct GateVerdict: Sendable, Codable, Equatable {
    public var policy: GatePolicy
    public var threshold: Double
    public var metric: String?
    public var lowerIsBetter: [String]
    /// True when the candidate may be promoted.
    public var accepted: Bool
    /// One sentence: why.
    public var reason: String
    /// The files read, as the playbook names them.
    public var candidateFile: String
    public var baselineFile: String
    /// The metric sets (nil: the file was missing or unusable).
    public var candidate: MetricSet?
    public var baseline: MetricSet?
    public var comparisons: [MetricComparison]

    /// `accepted` or `rejected`.
    public var word: String { accepted ? "accepted" : "rejected" }

    /// The verdict as JSON for `overlay jobs run/status --format json`.
    public var json: Value {
        .object([
            ("verdict", .string(word)), ("accepted", .bool(accepted)), ("reason", .string(reason)),
            ("policy", .string(policy.rawValue)), ("threshold", .double(threshold)),
            ("metric", metric.map(Value.string) ?? .null), ("lower_is_better", .array(lowerIsBetter.map(Value.string))),
            ("candidate_file", .string(candidateFile)), ("baseline_file", .string(baselineFile)),
            ("candidate", candidate?.json ?? .null), ("baseline", baseline?.json ?? .null),
            (
                "comparisons",
                .array(
                    comparisons.map { c in
                        .object([
                            ("metric", .string(c.name)), ("candidate", MetricSet.jsonNumber(c.candidate)),
                            ("baseline", MetricSet.jsonNumber(c.baseline)), ("lower_is_better", .bool(c.lowerIsBetter)),
                            ("bound", c.bound.map(MetricSet.jsonNumber) ?? .null), ("change", .string(c.change.rawValue)),
                            ("passes", .bool(c.passes)),
                        ])
                    })
            ),
        ])
    }
}

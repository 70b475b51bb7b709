import Foundation
import OverlayCore
import Testing

@testable import OverlayJobs

/// Each gate policy accepting and rejecting, lower-is-better metrics, and unusable files.
@Suite struct GateDecisionTests {
    /// Decides `spec` over files holding `candidate` and `baseline` (nil: no file).
    func decide(
        _ policy: GatePolicy, _ candidate: String?, _ baseline: String?, threshold: Double = 1, metric: String? = nil,
        lower: [String] = []
    ) throws -> GateVerdict {
        let box = try JobsSandbox()
        defer { box.remove() }
        if let candidate { try box.write("candidate.json", candidate) }
        if let baseline { try box.write("baseline.json", baseline) }
        let spec = GateSpec(
            policy: policy, threshold: threshold, candidate: "candidate.json", baseline: "baseline.json", metric: metric,
            lowerIsBetter: lower)
        return GateDecision.decide(spec, workdir: box.workdir)
    }

    @Test func noRegressionAcceptsWithinTheThresholdAndRejectsBeyondIt() throws {
        let ok = try decide(.noRegression, #"{"accuracy": 0.79, "f1": 0.9}"#, #"{"accuracy": 0.80, "f1": 0.9}"#, threshold: 0.98)
        #expect(ok.accepted, "\(ok.reason)")
        let bad = try decide(.noRegression, #"{"accuracy": 0.78, "f1": 0.9}"#, #"{"accuracy": 0.80, "f1": 0.9}"#, threshold: 0.98)
        #expect(!bad.accepted)
        #expect(bad.reason.contains("accuracy 0.78 < 0.784"), "\(bad.reason)")
        #expect(bad.comparisons.first { $0.name == "accuracy" }?.passes == false)
    }

    @Test func noRegressionReadsALowerIsBetterMetricTheOtherWayRound() throws {
        // latency may grow to baseline ÷ 0.9 = 111.1 ms, not shrink to 90 % of it.
        let ok = try decide(.noRegression, #"{"latency_ms": 110}"#, #"{"latency_ms": 100}"#, threshold: 0.9, lower: ["latency_ms"])
        #expect(ok.accepted, "\(ok.reason)")
        let bad = try decide(.noRegression, #"{"latency_ms": 112}"#, #"{"latency_ms": 100}"#, threshold: 0.9, lower: ["latency_ms"])
        #expect(!bad.accepted)
        #expect(bad.reason.contains("latency_ms 112 > 111.111") && bad.reason.contains("lower is better"), "\(bad.reason)")
        // Read as higher-is-better, the same numbers would pass: the declaration matters.
        #expect(try decide(.noRegression, #"{"latency_ms": 112}"#, #"{"latency_ms": 100}"#, threshold: 0.9).accepted)
    }

    @Test func mustImproveNeedsTheNamedMetricStrictlyBetter() throws {
        let ok = try decide(.mustImprove, #"{"accuracy": 0.81, "loss": 0.5}"#, #"{"accuracy": 0.8, "loss": 0.4}"#, metric: "accuracy")
        #expect(ok.accepted, "other metrics do not count for must_improve: \(ok.reason)")
        let same = try decide(.mustImprove, #"{"accuracy": 0.8}"#, #"{"accuracy": 0.8}"#, metric: "accuracy")
        #expect(!same.accepted && same.reason.contains("did not improve"))
        let lower = try decide(.mustImprove, #"{"loss": 0.3}"#, #"{"loss": 0.4}"#, metric: "loss", lower: ["loss"])
        #expect(lower.accepted, "a smaller loss is an improvement when loss is lower-is-better: \(lower.reason)")
        let missing = try decide(.mustImprove, #"{"f1": 0.9}"#, #"{"accuracy": 0.8, "f1": 0.8}"#, metric: "accuracy")
        #expect(!missing.accepted && missing.reason.contains("missing from the candidate"))
    }

    @Test func paretoDominantNeedsNoneWorseAndOneBetter() throws {
        let ok = try decide(
            .paretoDominant, #"{"accuracy": 0.85, "latency_ms": 40}"#, #"{"accuracy": 0.8, "latency_ms": 40}"#, lower: ["latency_ms"])
        #expect(ok.accepted, "\(ok.reason)")
        let tradeoff = try decide(
            .paretoDominant, #"{"accuracy": 0.85, "latency_ms": 41}"#, #"{"accuracy": 0.8, "latency_ms": 40}"#, lower: ["latency_ms"])
        #expect(!tradeoff.accepted && tradeoff.reason.contains("latency_ms 41 vs 40"), "\(tradeoff.reason)")
        let faster = try decide(
            .paretoDominant, #"{"accuracy": 0.8, "latency_ms": 30}"#, #"{"accuracy": 0.8, "latency_ms": 40}"#, lower: ["latency_ms"])
        #expect(faster.accepted, "lower latency alone is an improvement: \(faster.reason)")
        let same = try decide(.paretoDominant, #"{"accuracy": 0.8}"#, #"{"accuracy": 0.8}"#)
        #expect(!same.accepted && same.reason.contains("no metric improved"))
    }

    @Test func noBaselineYetPassesTheFirstCandidate() throws {
        for policy in GatePolicy.allCases {
            let v = try decide(policy, #"{"accuracy": 0.1}"#, nil, metric: "accuracy")
            #expect(v.accepted && v.reason.contains("no baseline yet"), "\(policy)")
        }
    }

    @Test func unusableFilesRejectWithAClearMessage() throws {
        let missing = try decide(.noRegression, nil, #"{"accuracy": 0.8}"#)
        #expect(!missing.accepted && missing.reason.contains("candidate metrics candidate.json not found"))
        let text = try decide(.noRegression, "{\n  \"accuracy\": \"high\"\n}", #"{"accuracy": 0.8}"#)
        #expect(!text.accepted && text.reason == "candidate.json:2:15: metric 'accuracy' is 'high', not a number", "\(text.reason)")
        let none = try decide(.noRegression, #"{"f1": 0.8}"#, #"{"accuracy": 0.8}"#)
        #expect(!none.accepted && none.reason.contains("no metric is in both files"))
        let broken = try decide(.paretoDominant, #"{"accuracy": 0.8}"#, "{not json")
        #expect(!broken.accepted && broken.reason.contains("baseline.json is not valid JSON"))
        let list = try decide(.paretoDominant, "[0.8]", #"{"accuracy": 0.8}"#)
        #expect(!list.accepted && list.reason.contains("must be a JSON object"))
    }

    @Test func aNegativeMetricLoosensTheBoundTheRightWay() throws {
        // log-likelihood -100 with threshold 0.9: down to -110 passes.
        #expect(try decide(.noRegression, #"{"loglik": -109}"#, #"{"loglik": -100}"#, threshold: 0.9).accepted)
        #expect(!(try decide(.noRegression, #"{"loglik": -111}"#, #"{"loglik": -100}"#, threshold: 0.9).accepted))
    }

    @Test func theGateStepRecordsBothMetricSetsAndFailsTheRunOnRejection() throws {
        let box = try JobsSandbox()
        defer { box.remove() }
        try box.write("c.json", #"{"accuracy": 0.7}"#)
        try box.write("b.json", #"{"accuracy": 0.8}"#)
        let report = try box.run(
            "name: g\njobs:\n  gate: {gate: {policy: no_regression, threshold: 0.98, candidate: c.json, baseline: b.json}}\n  ship: {needs: [gate], run: 'touch shipped'}\n"
        )
        #expect(report.run.status == .failed)
        let gate = try #require(report.gates.first)
        #expect(!gate.verdict.accepted && gate.verdict.candidate?["accuracy"] == 0.7 && gate.verdict.baseline?["accuracy"] == 0.8)
        #expect(gate.verdict.threshold == 0.98 && gate.verdict.policy == .noRegression)
        #expect(report.step("ship")?.reason == "upstream gate failed" && box.read("shipped") == nil)
    }
}

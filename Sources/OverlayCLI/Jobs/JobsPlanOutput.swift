import Foundation
import OverlayCore
import OverlayJobs

/// Renders `overlay jobs run --dry-run`: the order, each step's action and what its `when` says now.
enum JobsPlanOutput {
    static func action(_ step: JobStep) -> String {
        switch step.action {
        case .run(let command): "run: \(command)"
        case .gate(let g):
            "gate: \(g.policy.rawValue)\(g.policy == .noRegression ? " × \(JobsOutput.number(g.threshold))" : "")\(g.metric.map { " on \($0)" } ?? ""), \(g.candidate) vs \(g.baseline)"
        case .promote(let p): "promote: \(p.from) → \(p.to)"
        }
    }

    static func text(_ plan: RunPlan) -> String {
        var out = "plan of \(plan.playbook.name)\(plan.host.map { " for host \($0)" } ?? "") in \(plan.workdir) (nothing is run)\n"
        for item in plan.steps {
            let s = item.step
            out += "  \(item.level + 1). \(s.name)\(s.needs.isEmpty ? "" : " (after \(s.needs.joined(separator: ", ")))")\n"
            out += "       \(action(s))\n"
            var extras: [String] = []
            if let t = s.timeoutSeconds {
                extras.append("timeout \(t % 3600 == 0 ? "\(t / 3600) h" : t % 60 == 0 ? "\(t / 60) min" : "\(t) s")")
            }
            if s.retries > 0 { extras.append("retries \(s.retries)") }
            if let r = s.resource { extras.append("resource \(r)") }
            if let p = s.provenance { extras.append("provenance of \(p) checked first") }
            if !extras.isEmpty { out += "       " + extras.joined(separator: ", ") + "\n" }
            if let c = item.condition { out += "       when: \(c.met ? "met now" : "not met now") — \(c.reason)\n" }
            if case .promote(let p) = s.action {
                out += "       live now: \(plan.liveVersions[p.to].map { "version \($0)" } ?? "none yet")\n"
            }
        }
        return out
    }

    static func json(_ plan: RunPlan) -> Value {
        .object([
            ("ok", .bool(true)), ("dry_run", .bool(true)), ("playbook", .string(plan.playbook.name)),
            ("host", plan.host.map(Value.string) ?? .null), ("workdir", .string(plan.workdir)),
            (
                "steps",
                .array(
                    plan.steps.map { item in
                        .object([
                            ("name", .string(item.step.name)), ("level", .int(item.level)), ("kind", .string(item.step.action.kind)),
                            ("action", .string(action(item.step))), ("needs", .array(item.step.needs.map(Value.string))),
                            ("resource", item.step.resource.map(Value.string) ?? .null),
                            ("timeout", item.step.timeoutSeconds.map(Value.int) ?? .null), ("retries", .int(item.step.retries)),
                            ("when", item.condition.map { .object([("met", .bool($0.met)), ("reason", .string($0.reason))]) } ?? .null),
                        ])
                    })
            ),
        ])
    }
}

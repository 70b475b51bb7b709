import Foundation
import OverlayCore
import OverlayJobs

/// Renders runs for `overlay jobs run | resume | status | cancel` (SPEC §3.7's JSON shape).
enum JobsOutput {
    /// An ISO 8601 time with milliseconds (steps of a fast run differ by less than a second).
    static func time(_ date: Date?) -> Value {
        let format = ISO8601DateFormatter()
        format.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return date.map { .string(format.string(from: $0)) } ?? .null
    }

    /// `{"ok", "run", "status", "steps": {NAME: {"status", "exit_code", "attempts", …}}, "gate": {…}, …}`.
    static func json(_ report: RunReport) -> Value {
        let run = report.run
        let steps: [(String, Value)] = report.steps.map { s in
            (
                s.name,
                .object([
                    ("status", .string(s.status.rawValue)), ("exit_code", s.exitCode.map { .int(Int($0)) } ?? .null),
                    ("attempts", .int(s.attempts)), ("reason", s.reason.map(Value.string) ?? .null),
                    ("started_at", time(s.startedAt)), ("ended_at", time(s.endedAt)), ("log", s.logPath.map(Value.string) ?? .null),
                    ("metrics", s.metrics.flatMap(parsedJSON) ?? .null),
                ])
            )
        }
        let gate: Value =
            report.gates.last.map { g in
                guard case .object(let pairs) = g.verdict.json else { return .null }
                return .object([("step", .string(g.step))] + pairs)
            } ?? .null
        let promotion: Value =
            report.promotions.last.map { p in
                .object([
                    ("step", p.step.map(Value.string) ?? .null), ("target", .string(p.target)), ("version", .int(p.version)),
                    ("previous", p.previous.map(Value.int) ?? .null),
                ])
            } ?? .null
        return .object([
            ("ok", .bool(report.ok)), ("run", .int(Int(run.id))), ("playbook", .string(run.playbook)), ("status", .string(run.shownStatus)),
            ("reason", run.reason.map(Value.string) ?? .null), ("host", run.host.map(Value.string) ?? .null),
            ("workdir", .string(run.workdir)), ("started_at", time(run.startedAt)), ("ended_at", time(run.endedAt)),
            ("steps", .object(steps)), ("gate", gate), ("promotion", promotion),
        ])
    }

    static func parsedJSON(_ text: String) -> Value? {
        DocumentLoader().parse(data: Data(text.utf8), path: "metrics.json", format: .json).root.map(\.value)
    }

    /// The run as a table of steps, then the gate's numbers and the promotion.
    static func text(_ report: RunReport) -> String {
        let run = report.run
        let took = run.endedAt.map { " in \(duration($0.timeIntervalSince(run.startedAt)))" } ?? ""
        var out = "run \(run.id) of \(run.playbook)\(run.host.map { " (host \($0))" } ?? ""): \(run.shownStatus)\(took)\n"
        if run.isInterrupted {
            out += "  its runner (pid \(run.runner?.pid ?? 0)) is gone; 'overlay jobs resume \(run.id)' finishes the run\n"
        }
        let width = max(report.steps.map(\.name.count).max() ?? 0, 4)
        for s in report.steps {
            var cells = [
                s.name.padding(toLength: width, withPad: " ", startingAt: 0),
                (s.isWaitingForResource && run.status == .running && !run.isInterrupted ? "waiting" : s.status.rawValue).padding(
                    toLength: 10, withPad: " ", startingAt: 0),
            ]
            if let code = s.exitCode { cells.append("exit \(code)") }
            if s.attempts > 1 { cells.append("\(s.attempts) attempts") }
            if let start = s.startedAt, let end = s.endedAt { cells.append(duration(end.timeIntervalSince(start))) }
            let gate = report.gates.first { $0.step == s.name }
            if let gate { cells.append("gate \(gate.verdict.word) (below)") } else if let reason = s.reason { cells.append(reason) }
            out += "  " + cells.joined(separator: "  ") + "\n"
        }
        for gate in report.gates { out += gateText(gate) }
        for p in report.promotions {
            let target = p.target.hasPrefix(run.workdir + "/") ? String(p.target.dropFirst(run.workdir.count + 1)) : p.target
            out += "promoted version \(p.version) of \(target)\(p.previous.map { " (was version \($0))" } ?? " (first version)")\n"
        }
        let failedSteps = report.steps.filter { $0.status == .failed || $0.status == .timedOut }
        if run.status == .failed, !failedSteps.isEmpty,
            failedSteps.allSatisfy({ s in report.gates.contains { $0.step == s.name && !$0.verdict.accepted } })
        {
            out += "failed: the gate rejected the candidate; nothing was promoted\n"
        } else if let reason = run.reason, run.status != .done {
            out += "\(run.status.rawValue): \(reason)\n"
        }
        out += "logs: overlay jobs log \(run.id) STEP\n"
        return out
    }

    static func gateText(_ gate: GateRecord) -> String {
        let v = gate.verdict
        let threshold = v.policy == .noRegression ? ", threshold \(number(v.threshold))" : ""
        let metric = v.metric.map { " on \($0)" } ?? ""
        var out = "gate '\(gate.step)' (\(v.policy.rawValue)\(threshold)\(metric)): \(v.word) — \(v.reason)\n"
        let names = (v.candidate?.names ?? []) + (v.baseline?.names ?? []).filter { !(v.candidate?.names ?? []).contains($0) }
        guard !names.isEmpty else { return out }
        let width = max(names.map(\.count).max() ?? 0, 6)
        out += "  " + "metric".padding(toLength: width, withPad: " ", startingAt: 0) + "  candidate   baseline\n"
        for name in names {
            let c = v.candidate?[name].map(number) ?? "-"
            let b = v.baseline?[name].map(number) ?? "-"
            let mark =
                v.comparisons.first { $0.name == name }.map { " \($0.change.rawValue)\($0.lowerIsBetter ? " (lower is better)" : "")" }
                ?? ""
            let row =
                "  " + name.padding(toLength: width, withPad: " ", startingAt: 0) + "  "
                + c.padding(toLength: 10, withPad: " ", startingAt: 0) + "  " + b.padding(toLength: 9, withPad: " ", startingAt: 0) + mark
            out += row.replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression) + "\n"
        }
        return out
    }

    static func number(_ d: Double) -> String { String(format: "%.6g", d) }

    /// `0.4 s`, `12 s`, `3 min 20 s`, `2 h 5 min`.
    static func duration(_ seconds: Double) -> String {
        if seconds < 10 { return String(format: "%.1f s", seconds) }
        let s = Int(seconds.rounded())
        if s < 60 { return "\(s) s" }
        if s < 3600 { return "\(s / 60) min \(s % 60) s" }
        return "\(s / 3600) h \(s % 3600 / 60) min"
    }

    /// `{"ok": false, "error": …}` on stdout for JSON callers.
    /// The members of a jobs command's JSON failure besides `ok` and `error` (none).
    static let failureFields: [(String, Value)] = []
}

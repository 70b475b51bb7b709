import Foundation
import OverlayCore
import OverlayEngine
import OverlayRuntime

extension AgentJobsOutcome {
    /// The `agent_jobs` member of apply's JSON.
    func json(diff: Bool) -> Value {
        var pairs: [(String, Value)] = [("path", .string(path))]
        if let change {
            pairs.append(("written", .bool(change.written)))
            pairs.append(
                (
                    "jobs",
                    .array(
                        change.jobs.map { job in
                            var o: [(String, Value)] = [("name", .string(job.name)), ("action", .string(job.action.rawValue))]
                            if let id = job.id { o.append(("id", .string(id))) }
                            if !job.fields.isEmpty { o.append(("fields", .array(job.fields.map(Value.string)))) }
                            if let reason = job.reason { o.append(("reason", .string(reason))) }
                            if diff, job.altersFile { o.append(("diff", .string(Self.diff(job, path: path)))) }
                            return .object(o)
                        })
                ))
            if !change.notes.isEmpty { pairs.append(("notes", .array(change.notes.map(Value.string)))) }
        }
        if let error { pairs.append(("error", .string(error))) }
        return .object(pairs)
    }

    /// Text for apply and converge: one line per added, updated, removed, paused-kept or expired
    /// job (with its diff), nil when nothing is worth saying.
    func text(diff: Bool) -> String? {
        if let error { return "agent jobs \(path): \(error)\n" }
        guard let change else { return nil }
        var out = ""
        for job in change.jobs where job.action != .unchanged && job.action != .keptByHand {
            let verb = dryRun && job.altersFile ? "would be \(job.action.rawValue)" : job.action.rawValue
            let what = job.fields.isEmpty ? "" : " (\(job.fields.joined(separator: ", ")))"
            out += "agent job \(verb) \(job.name)\(what)" + (job.reason.map { ": \($0)" } ?? "") + "\n"
            if diff, job.altersFile { out += Self.diff(job, path: path) }
        }
        for note in change.notes { out += "agent jobs: \(note)\n" }
        return out.isEmpty ? nil : out
    }

    static func diff(_ job: AgentJobChange, path: String) -> String {
        LineDiff.unified(
            old: job.before.map { Data($0.utf8) }, new: job.after.map { Data($0.utf8) }, path: path + "#" + job.name, secret: false)
    }
}

extension AgentJobsStatus {
    /// The `agent_jobs` member of status's JSON (null when none are recorded).
    var json: Value {
        guard let path else { return .null }
        var pairs: [(String, Value)] = [
            ("path", .string(path)),
            (
                "drift",
                .array(
                    drift.map {
                        .object([
                            ("name", .string($0.name)), ("kind", .string($0.kind.rawValue)),
                            ("fields", .array($0.fields.map(Value.string))),
                        ])
                    })
            ),
        ]
        if let error { pairs.append(("error", .string(error))) }
        return .object(pairs)
    }

    /// Status's JSON with an `agent_jobs` member before `deadman` (unchanged when none are recorded).
    func adding(to object: Value) -> Value {
        guard path != nil, case .object(var pairs) = object else { return object }
        pairs.insert(("agent_jobs", json), at: pairs.firstIndex { $0.0 == "deadman" } ?? pairs.count)
        return .object(pairs)
    }

    /// Status's lines about agent jobs ("" when none are recorded).
    var text: String {
        guard let path else { return "" }
        if let error { return "agent jobs: \(error)\n" }
        let real = drift.filter { $0.kind != .paused }
        var out = real.isEmpty ? "agent jobs: no drift (\(path))\n" : "agent jobs: \(real.count) drifted (\(path))\n"
        for d in drift {
            switch d.kind {
            case .edited:
                out +=
                    "  edited    \(d.name): \(d.fields.joined(separator: ", ")) changed by hand; the next apply puts the declaration back\n"
            case .missing: out += "  missing   \(d.name): deleted from the jobs file; the next apply recreates it\n"
            case .paused: out += "  paused    \(d.name): paused (or resumed) by hand; kept until the repo changes this job\n"
            }
        }
        return out
    }
}

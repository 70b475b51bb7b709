import Foundation
import OverlayCore
import OverlayEngine

/// Renders a converge as text (each host's changes, then a recap) or SPEC §3.4 JSON.
enum ConvergeOutput {
    static func counts(_ outcomes: [HostOutcome]) -> [(String, Int)] {
        HostOutcome.Status.allCases.map { status in (status.rawValue, outcomes.filter { $0.status == status }.count) }
    }

    static func json(_ outcomes: [HostOutcome], check: Bool, interrupted: String? = nil) -> String {
        let ok = interrupted == nil && outcomes.allSatisfy(\.converged)
        var pairs: [(String, Value)] = [
            ("ok", .bool(ok)), ("check", .bool(check)),
            ("hosts", hostsJSON(outcomes)),
            ("summary", .object(counts(outcomes).map { ($0.0, .int($0.1)) })),
        ]
        if let interrupted { pairs.append(("interrupted", .string(interrupted))) }
        return JSONWriter.string(.object(pairs), pretty: true) + "\n"
    }

    /// The members of the JSON failure object of a converge that touched no host.
    static func failureFields(check: Bool) -> [(String, Value)] {
        [("check", .bool(check)), ("hosts", .object([])), ("summary", .object(counts([]).map { ($0.0, .int($0.1)) }))]
    }

    /// The JSON `hosts` object: each host's outcome by name.
    static func hostsJSON(_ outcomes: [HostOutcome]) -> Value { .object(outcomes.map { ($0.host, hostJSON($0)) }) }

    /// The host's member of the JSON `hosts` object.
    private static func hostJSON(_ o: HostOutcome) -> Value {
        .object(
            [
                ("status", .string(o.status.rawValue)), ("changed", .bool(o.status == .changed)),
                ("generation", o.generation.map(Value.int) ?? .null), ("error", o.error.map(Value.string) ?? .null),
                ("batch", .int(o.batch)),
            ] + (o.warnings.isEmpty ? [] : [("warnings", .array(o.warnings.map(Value.string)))]))
    }

    static func text(_ outcomes: [HostOutcome], check: Bool, diff: Bool, quiet: Bool) -> String {
        var out = ""
        let width = outcomes.map(\.host.count).max() ?? 0
        for o in outcomes {
            if quiet && !o.failedOrUnreachable { continue }
            let name = o.host.padding(toLength: width, withPad: " ", startingAt: 0)
            let verb = check && o.status == .changed ? "would change" : o.status.rawValue
            let generation = o.generation.map { ", generation \($0)" } ?? ""
            out += "\(name)  \(verb)\(generation)\n"
            if !quiet { out += o.warnings.map { "    warning: \($0)\n" }.joined() }
            let details = detailText(o.detail, check: check, diff: diff)
            if !quiet && !details.isEmpty && o.status != .ok {
                out +=
                    details.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map { "    " + $0 }
                    .joined(separator: "\n") + "\n"
            }
            if let error = o.error {
                out += error.split(whereSeparator: \.isNewline).map { "    " + $0 }.joined(separator: "\n") + "\n"
            }
        }
        let optional: Set<String> = ["skipped", "interrupted", "not_started"]
        let summary = counts(outcomes).filter { !optional.contains($0.0) || $0.1 > 0 }.map { "\($0.0)=\($0.1)" }
        out += "recap: \(outcomes.count) host(s): " + summary.joined(separator: " ") + (check ? " (check: nothing was changed)" : "") + "\n"
        return out
    }

    /// A host's changes as `overlay apply` prints them (for an SSH host: what its apply reported).
    private static func detailText(_ detail: HostOutcome.Detail, check: Bool, diff: Bool) -> String {
        switch detail {
        case .none:
            return ""
        case .local(let result):
            var text = ApplyOutput.text(result.report, diff: diff, dryRun: check, quiet: false, seeds: result.createOnly?.items ?? [])
            if let line = result.cron.text { text += line + "\n" }
            if let jobs = result.agentJobs?.text(diff: diff) { text += jobs }
            return text
        case .remote(let remote):
            var text = remote.changes.map { change in
                "\(change.action)  \(change.path)\n" + (change.diff.map { $0.hasSuffix("\n") ? $0 : $0 + "\n" } ?? "")
            }.joined()
            if !remote.cronParts.isEmpty, let target = remote.crontab {
                let parts = remote.cronParts.map { "\($0.kind) \($0.names.joined(separator: ", "))" }
                text += "crontab \(target): \(parts.joined(separator: "; "))\n"
            }
            return text
        }
    }
}

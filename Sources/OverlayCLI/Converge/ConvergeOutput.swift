import Foundation
import OverlayCore

/// Renders a converge as text (each host's changes, then a recap) or SPEC §3.4 JSON.
enum ConvergeOutput {
    static func counts(_ outcomes: [HostOutcome]) -> [(String, Int)] {
        HostOutcome.Status.allCases.map { status in (status.rawValue, outcomes.filter { $0.status == status }.count) }
    }

    static func json(_ outcomes: [HostOutcome], check: Bool, error: String? = nil, diagnostics: [Diagnostic] = []) -> String {
        let ok = error == nil && outcomes.allSatisfy { $0.status == .ok || $0.status == .changed }
        var pairs: [(String, Value)] = [
            ("ok", .bool(ok)), ("check", .bool(check)),
            ("hosts", .object(outcomes.map { ($0.host, $0.json) })),
            ("summary", .object(counts(outcomes).map { ($0.0, .int($0.1)) })),
        ]
        if let error { pairs.append(("error", .string(error))) }
        if !diagnostics.isEmpty { pairs.append(("diagnostics", .array(diagnostics.map(DiagnosticRenderer.object)))) }
        return JSONWriter.string(.object(pairs), pretty: true) + "\n"
    }

    static func text(_ outcomes: [HostOutcome], check: Bool, quiet: Bool) -> String {
        var out = ""
        let width = outcomes.map(\.host.count).max() ?? 0
        for o in outcomes {
            if quiet && !o.failedOrUnreachable { continue }
            let name = o.host.padding(toLength: width, withPad: " ", startingAt: 0)
            let verb = check && o.status == .changed ? "would change" : o.status.rawValue
            let generation = o.generation.map { ", generation \($0)" } ?? ""
            out += "\(name)  \(verb)\(generation)\n"
            if !quiet && !o.details.isEmpty && o.status != .ok {
                out +=
                    o.details.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map { "    " + $0 }
                    .joined(separator: "\n") + "\n"
            }
            if let error = o.error {
                out += error.split(whereSeparator: \.isNewline).map { "    " + $0 }.joined(separator: "\n") + "\n"
            }
        }
        let summary = counts(outcomes).filter { $0.0 != "skipped" || $0.1 > 0 }.map { "\($0.0)=\($0.1)" }
        out += "recap: \(outcomes.count) host(s): " + summary.joined(separator: " ") + (check ? " (check: nothing was changed)" : "") + "\n"
        return out
    }
}

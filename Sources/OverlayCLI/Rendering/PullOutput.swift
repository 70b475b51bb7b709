import Foundation
import OverlayCore
import OverlayEngine

/// Renders a pull as text or JSON.
enum PullOutput {
    static func json(_ report: PullReport) -> String {
        var pairs: [(String, Value)] = [
            ("ok", .bool(report.ok)), ("result", .string(report.result.rawValue)), ("ref", .string(report.ref)),
            ("commit", report.commit.map { .string($0.id) } ?? .null),
        ]
        if let commit = report.commit {
            pairs += [
                ("subject", .string(commit.subject)), ("author", .string("\(commit.authorName) <\(commit.authorEmail)>")),
                ("commit_time", .string(commit.time)),
            ]
        }
        pairs += [("host", report.host.map(Value.string) ?? .null), ("generation", report.generation.map(Value.int) ?? .null)]
        if let apply = report.apply {
            pairs.append(("switched", .bool(apply.report.switched)))
            pairs.append(("changes", .array(apply.report.plan.changes.map { ApplyOutput.change($0, diff: false) })))
            pairs.append(("cron", apply.cron.json))
        }
        if let hosts = report.hosts {
            pairs.append(("hosts", ConvergeOutput.hostsJSON(hosts)))
            pairs.append(("summary", .object(ConvergeOutput.counts(hosts).map { ($0.0, .int($0.1)) })))
        }
        if let reason = report.reason { pairs.append((report.ok ? "reason" : "error", .string(reason))) }
        if !report.diagnostics.isEmpty { pairs.append(("diagnostics", .array(report.diagnostics.map(DiagnosticRenderer.object)))) }
        return JSONWriter.string(.object(pairs), pretty: true) + "\n"
    }

    static func text(_ report: PullReport, quiet: Bool, verbose: Bool) -> String {
        let commit = report.commit.map { "\($0.id.prefix(12)) \"\($0.subject)\"" } ?? "-"
        var out = ""
        for d in report.diagnostics { out += d.description + "\n" }
        switch report.result {
        case .applied:
            if let hosts = report.hosts { out += ConvergeOutput.text(hosts, check: false, diff: false, quiet: quiet) }
            if let apply = report.apply, !quiet {
                out += ApplyOutput.text(apply.report, diff: false, dryRun: false, quiet: false, verbose: verbose)
                if let line = apply.cron.text { out += line + "\n" }
            }
            out += "pulled \(report.ref) at \(commit): applied" + (report.generation.map { ", generation \($0) is live" } ?? "") + "\n"
        case .unchanged:
            if !quiet { out += "pulled \(report.ref) at \(commit): already live (generation \(report.generation.map(String.init) ?? "-")); nothing to do\n" }
        case .skipped:
            out += "pulled \(report.ref) at \(commit): skipped: \(report.reason ?? "")\n"
        case .rejected:
            out += "pulled \(report.ref) at \(commit): rejected: \(report.reason ?? "")\n"
        case .failed:
            out += "pull of \(report.ref)\(report.commit == nil ? "" : " at \(commit)") failed: \(report.reason ?? "")\n"
        }
        return out
    }
}

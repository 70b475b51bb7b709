import Foundation
import OverlayCore
import OverlayEngine
import OverlayRuntime

/// Renders apply, diff and rollback results as text or SPEC §3.2 JSON.
enum ApplyOutput {
    /// The JSON object for a finished run; `error` says why a run that switched is not ok.
    static func json(
        _ report: ApplyReport, ok: Bool, diff: Bool, cron: Value? = nil, extra: [(String, Value)] = [], error: String? = nil,
        seeds: [SeedItem] = [], warnings: [String] = []
    ) -> String {
        var pairs: [(String, Value)] = [
            ("ok", .bool(ok)), ("host", .string(report.plan.host)),
            ("generation", report.generation.map(Value.int) ?? .null), ("switched", .bool(report.switched)),
            ("changes", .array(report.plan.items.map { change($0, diff: diff) } + seeds.map { change($0, diff: diff) })),
            ("summary", summary(report.plan, seeds: seeds)),
        ]
        if !warnings.isEmpty { pairs.append(("warnings", .array(warnings.map(Value.string)))) }
        if !report.handlers.isEmpty {
            pairs.append(
                (
                    "handlers",
                    .array(
                        report.handlers.map {
                            .object([("name", .string($0.name)), ("exit_code", .int(Int($0.exitCode))), ("log", .string($0.logPath))])
                        })
                ))
        }
        if !report.pruned.isEmpty { pairs.append(("pruned", .array(report.pruned.map(Value.int)))) }
        if let cron { pairs.append(("cron", cron)) }
        pairs += extra
        if let error { pairs.append(("error", .string(error))) }
        return JSONWriter.string(.object(pairs), pretty: true) + "\n"
    }

    /// The members of apply's JSON failure object besides `ok` and `error`: nothing switched,
    /// and `generation` is the one that stays live, when known.
    static func failureFields(host: String?, generation: Int? = nil) -> [(String, Value)] {
        [
            ("host", host.map(Value.string) ?? .null), ("generation", generation.map(Value.int) ?? .null),
            ("switched", .bool(false)), ("changes", .array([])),
            ("summary", .object(["created", "updated", "deleted", "unchanged"].map { ($0, .int(0)) })),
        ]
    }

    /// One stderr line per handler that ran, with the end of its output when it failed.
    static func logHandlers(_ report: ApplyReport) {
        for h in report.handlers {
            Output.log("handler \(h.name): exit \(h.exitCode) (log: \(h.logPath))")
            if !h.succeeded && !h.tail.isEmpty { Output.log(h.tail) }
        }
    }

    static func change(_ item: PlanItem, diff: Bool) -> Value {
        var pairs: [(String, Value)] = [("path", .string(item.path)), ("action", .string(item.action.rawValue))]
        if let reason = item.reason { pairs.append(("reason", .string(reason))) }
        if diff && item.action != .unchanged && item.action != .kept {
            pairs.append(("diff", .string(unifiedDiff(item))))
        }
        return .object(pairs)
    }

    private static func summary(_ plan: ApplyPlan, seeds: [SeedItem]) -> Value {
        let s = counts(plan, seeds: seeds)
        return .object(["created", "updated", "deleted", "unchanged"].map { ($0, .int(s[$0] ?? 0)) })
    }

    /// The plan's counts with the create-only files added.
    static func counts(_ plan: ApplyPlan, seeds: [SeedItem]) -> [String: Int] {
        var s = plan.summary
        for item in seeds { if let k = item.action.summaryKey { s[k, default: 0] += 1 } }
        return s
    }

    /// Text: one line per changed path (with its diff; with `verbose`, unchanged paths too), then
    /// where the run left things and a summary.
    static func text(
        _ report: ApplyReport, diff: Bool, dryRun: Bool, quiet: Bool, verbose: Bool = false, seeds: [SeedItem] = []
    ) -> String {
        // -q prints only problems; they go to stderr.
        if quiet { return "" }
        var out = ""
        for item in verbose ? report.plan.items : report.plan.changes {
            out += line(item.action, item.path, item.reason)
            if diff && item.action != .kept && item.action != .unchanged { out += unifiedDiff(item) }
        }
        for item in seeds where verbose || item.action != .unchanged {
            out += line(item.action, item.path, item.reason ?? (item.writes ? "create-only" : nil))
            if diff && item.writes { out += unifiedDiff(item) }
        }
        let s = counts(report.plan, seeds: seeds)
        let counts =
            "\(s["created"] ?? 0) created, \(s["updated"] ?? 0) updated, \(s["deleted"] ?? 0) deleted, \(s["unchanged"] ?? 0) unchanged"
        if dryRun {
            let gen = report.plan.needsGeneration ? "would build a new generation" : "no new generation needed"
            out += "dry run for \(report.plan.host): \(counts); \(gen); nothing was changed\n"
        } else if report.switched, let n = report.generation {
            out += "\(report.plan.host): generation \(n) is live: \(counts)\n"
        } else {
            let live = report.generation.map { "generation \($0) stays live" } ?? "no generation yet"
            out += "\(report.plan.host): no new generation (\(live)): \(counts)\n"
        }
        return out
    }

    /// One path's line: the action padded to 10 for alignment (never cut: "restored-backup" is longer).
    private static func line(_ action: ChangeAction, _ path: String, _ reason: String?) -> String {
        let name = action.rawValue
        let verb = name.count >= 10 ? name : name.padding(toLength: 10, withPad: " ", startingAt: 0)
        return "\(verb) \(path)" + (reason.map { " (\($0))" } ?? "") + "\n"
    }

    /// A create-only file's line of the JSON `changes`.
    static func change(_ item: SeedItem, diff: Bool) -> Value {
        var pairs: [(String, Value)] = [
            ("path", .string(item.path)), ("action", .string(item.action.rawValue)), ("create_only", .bool(true)),
        ]
        if let reason = item.reason { pairs.append(("reason", .string(reason))) }
        if diff && item.writes { pairs.append(("diff", .string(unifiedDiff(item)))) }
        return .object(pairs)
    }

    /// The unified diff of a create-only file that is (re)written (secrets redacted).
    static func unifiedDiff(_ item: SeedItem) -> String {
        let old = item.action == .updated ? item.oldContentPath.flatMap { FileManager.default.contents(atPath: $0) } : nil
        return LineDiff.unified(
            old: old, new: item.content, path: item.path, secret: item.secret, oldSecret: item.secret, redactedNew: item.redactedContent)
    }

    /// The unified diff of one plan item (secrets redacted).
    static func unifiedDiff(_ item: PlanItem) -> String {
        let old = item.oldContentPath.flatMap { FileManager.default.contents(atPath: $0) }
        let newData: Data?
        switch item.action {
        case .deleted: newData = nil
        case .restoredBackup: newData = item.backupSource.flatMap { FileManager.default.contents(atPath: $0) }
        default: newData = (try? item.target?.bytes()) ?? old
        }
        let redacted = item.action == .deleted || item.action == .restoredBackup ? nil : item.target?.redactedContent
        return LineDiff.unified(
            old: old, new: newData, path: item.path, secret: item.secret, oldSecret: item.oldSecret, redactedNew: redacted)
    }
}

extension CrontabOutcome {
    /// The `cron` member of apply's JSON.
    var json: Value {
        var pairs: [(String, Value)] = [("target", .string(target))]
        if let change {
            pairs += [
                ("added", .array(change.added.map(Value.string))), ("updated", .array(change.updated.map(Value.string))),
                ("removed", .array(change.removed.map(Value.string))), ("unchanged", .int(change.unchanged.count)),
                ("written", .bool(change.written)),
            ]
        }
        if let error { pairs.append(("error", .string(error))) }
        return .object(pairs)
    }

    /// One line for the text output, nil when nothing changed.
    var text: String? {
        if let error { return "crontab \(target): \(error)" }
        guard let change, change.changedJobs else { return nil }
        var parts: [String] = []
        let verb = dryRun ? ["would add", "would update", "would remove"] : ["added", "updated", "removed"]
        if !change.added.isEmpty { parts.append("\(verb[0]) \(change.added.joined(separator: ", "))") }
        if !change.updated.isEmpty { parts.append("\(verb[1]) \(change.updated.joined(separator: ", "))") }
        if !change.removed.isEmpty { parts.append("\(verb[2]) \(change.removed.joined(separator: ", "))") }
        return "crontab \(target): " + parts.joined(separator: "; ")
    }
}

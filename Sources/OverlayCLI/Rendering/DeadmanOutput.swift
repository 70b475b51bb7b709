import Foundation
import OverlayCore
import OverlayEngine
import OverlayRuntime

/// The output of `overlay deadman check | status | reset` and the deadman part of `overlay status`.
enum DeadmanOutput {
    /// SPEC §3.6's object (`ok`, `state`, `action`, `retries`, `known_good`, `deadman_active`,
    /// `dry_run`) with why, the generation and this run's actions; `detail` adds the settings,
    /// the episodes and the recent actions (`status`).
    static func json(_ report: DeadmanReport, detail: Bool = false) -> String {
        JSONWriter.string(object(report, detail: detail), pretty: true) + "\n"
    }

    static func object(_ report: DeadmanReport, detail: Bool) -> Value {
        var pairs: [(String, Value)] = [
            ("ok", .bool(report.ok)), ("state", .string(report.state.rawValue)), ("action", .string(report.step.action)),
            ("retries", .int(report.retries)), ("known_good", .bool(report.knownGood)),
            ("deadman_active", .bool(report.deadmanActive)), ("dry_run", .bool(report.dryRun)),
            ("reason", .string(report.reason)), ("generation", report.generation.map(Value.int) ?? .null),
            ("stamp", report.settings.map { .string($0.stamp) } ?? .null),
            ("actions", .array(report.actions.map(event))),
        ]
        if !report.warnings.isEmpty { pairs.append(("warnings", .array(report.warnings.map(Value.string)))) }
        if !report.problems.isEmpty { pairs.append(("problems", .array(report.problems.map(Value.string)))) }
        guard detail else { return .object(pairs) }
        let record = report.record
        pairs += [
            ("installed", .bool(report.settings != nil)), ("settings", report.settings.map(settings) ?? .null),
            (
                "last_check",
                record.lastCheck.map {
                    .object([("time", time($0.time)), ("state", .string($0.state.rawValue)), ("reason", .string($0.reason))])
                } ?? .null
            ),
            ("episode", record.episode.map(episode) ?? .null),
            ("episodes", .array(record.episodes.reversed().prefix(10).map(episode))),
            ("history", .array(record.history.suffix(20).map(event))),
        ]
        return .object(pairs)
    }

    /// The check's text: what it saw and did; `--quiet` (the cron line) prints only what is noteworthy.
    static func checkText(_ report: DeadmanReport, quiet: Bool, now: Date) -> String {
        if quiet && !report.isNoteworthy { return "" }
        var text = "\(DeadmanTime.string(now)) \(report.dryRun ? "dry run: " : "")\(report.state.rawValue): \(report.reason)\n"
        if report.dryRun && report.step != .none { text += "  would: \(report.step.action)\n" }
        for action in report.actions { text += "  \(action.action): \(action.result ?? "did not finish")\n" }
        if report.state != .off { text += "  \(counters(report))\n" }
        return text + notes(report)
    }

    /// `overlay deadman status` as text.
    static func statusText(_ report: DeadmanReport) -> String {
        var text = "deadman: \(summary(report))\n"
        if let s = report.settings {
            text +=
                "settings: stamp \(s.stamp), max_age \(s.maxAge) s, every \(s.every) s, max_retries \(s.maxRetries), rollback \(s.rollback ? "on" : "off"), alert \(s.alert == nil ? "none" : "set")\n"
            text += counters(report) + "\n"
        }
        let record = report.record
        if let last = record.lastCheck { text += "last check: \(DeadmanTime.string(last.time)) (\(last.state.rawValue))\n" }
        text += "episode: " + (record.episode.map(episodeLine) ?? "none open") + "\n"
        if !record.episodes.isEmpty {
            text += "last episodes:\n"
            for e in record.episodes.reversed().prefix(5) { text += "  " + episodeLine(e) + "\n" }
        }
        if !record.history.isEmpty {
            text += "recent actions:\n"
            for e in record.history.suffix(10) {
                text +=
                    "  \(DeadmanTime.string(e.time)) \(e.action) (generation \(e.generation.map(String.init) ?? "-")): \(e.reason) [\(e.result ?? "did not finish")]\n"
            }
        }
        return text + notes(report)
    }

    /// One line for `overlay status`.
    static func summary(_ report: DeadmanReport) -> String {
        guard report.settings != nil else {
            return "not installed (" + (report.generation == nil ? "no generation yet" : "the live generation declares no deadman") + ")"
        }
        var line = "\(report.state.rawValue) — \(report.reason)"
        if report.deadmanActive { line += "; DEADMAN ACTIVE: fix the agent, then run 'overlay deadman reset'" }
        return line
    }

    /// The `deadman` member of `overlay status`'s JSON.
    static func statusMember(_ report: DeadmanReport) -> Value {
        .object([
            ("installed", .bool(report.settings != nil)), ("state", .string(report.state.rawValue)),
            ("reason", .string(report.reason)), ("retries", .int(report.retries)),
            ("deadman_active", .bool(report.deadmanActive)),
            ("episode", report.record.episode.map(episode) ?? .null),
            ("last_check", report.record.lastCheck.map { time($0.time) } ?? .null),
        ])
    }

    /// `overlay deadman reset`'s JSON.
    static func resetJSON(_ result: DeadmanResetResult) -> String {
        var pairs: [(String, Value)] = [
            ("ok", .bool(result.ok)), ("state", .string(result.record.lastCheck?.state.rawValue ?? "unknown")),
            ("action", .string("reset")), ("retries", .int(0)), ("deadman_active", .bool(false)), ("dry_run", .bool(false)),
            ("ended_episode", result.endedEpisode.map(Value.int) ?? .null), ("was_active", .bool(result.wasActive)),
            ("cleared_bad_commits", .array(result.clearedCommits.map(Value.string))),
            ("generation", result.generation.map(Value.int) ?? .null),
        ]
        if let aside = result.setAside { pairs.append(("set_aside", .string(aside))) }
        if !result.problems.isEmpty { pairs.append(("problems", .array(result.problems.map(Value.string)))) }
        return JSONWriter.string(.object(pairs), pretty: true) + "\n"
    }

    private static func counters(_ report: DeadmanReport) -> String {
        let max = report.settings.map { " of \($0.maxRetries) (+1 after a rollback)" } ?? ""
        let good = report.knownGood ? "known-good" : "not known-good"
        return "restarts \(report.retries)\(max), generation \(report.generation.map(String.init) ?? "-") (\(good))"
            + (report.deadmanActive ? ", deadman active: run 'overlay deadman reset' once the agent is fixed" : "")
    }

    private static func notes(_ report: DeadmanReport) -> String {
        report.warnings.map { "warning: \($0)\n" }.joined()
    }

    private static func episodeLine(_ e: DeadmanEpisode) -> String {
        var parts = ["#\(e.number) from \(DeadmanTime.string(e.started)) on generation \(e.generation)", "\(e.restarts) restart(s)"]
        if let r = e.rollback {
            parts.append("rollback \(r.from) → \(r.to) (\(r.succeeded.map { $0 ? "ok" : "failed" } ?? "did not finish"))")
        }
        if let gave = e.gaveUp { parts.append("gave up \(DeadmanTime.string(gave))") }
        if let ended = e.ended { parts.append("\(e.end ?? "ended") \(DeadmanTime.string(ended))") }
        return parts.joined(separator: ", ")
    }

    private static func time(_ date: Date) -> Value { .string(DeadmanTime.string(date)) }

    private static func event(_ e: DeadmanEvent) -> Value {
        .object([
            ("time", time(e.time)), ("action", .string(e.action)), ("reason", .string(e.reason)),
            ("generation", e.generation.map(Value.int) ?? .null), ("episode", e.episode.map(Value.int) ?? .null),
            ("result", e.result.map(Value.string) ?? .null),
        ])
    }

    private static func episode(_ e: DeadmanEpisode) -> Value {
        .object([
            ("number", .int(e.number)), ("started", time(e.started)), ("generation", .int(e.generation)),
            ("restarts", .int(e.restarts)),
            (
                "rollback",
                e.rollback.map {
                    .object([("from", .int($0.from)), ("to", .int($0.to)), ("succeeded", $0.succeeded.map(Value.bool) ?? .null)])
                } ?? .null
            ),
            ("gave_up", e.gaveUp.map(time) ?? .null), ("ended", e.ended.map(time) ?? .null),
            ("end", e.end.map(Value.string) ?? .null),
        ])
    }

    private static func settings(_ s: Generation.Deadman) -> Value {
        .object([
            ("stamp", .string(s.stamp)), ("max_age", .int(s.maxAge)), ("every", .int(s.every)), ("restart", .string(s.restart)),
            ("max_retries", .int(s.maxRetries)), ("rollback", .bool(s.rollback)), ("alert", s.alert.map(Value.string) ?? .null),
        ])
    }
}

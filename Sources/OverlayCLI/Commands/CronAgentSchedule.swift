import ArgumentParser
import Foundation
import OverlayCore

/// `overlay cron next|explain` for a schedule of the harness's own jobs (`--agent`, or a form
/// only the harness has: `every 30m`, an ISO time): the harness's grammar and croniter's rules,
/// in the harness's time zone — `--tz`, else the repo's `config.yaml` `timezone:`, else local.
struct CronAgentSchedule {
    var global: GlobalOptions
    var text: String
    var tz: String?

    var zone: TimeZone {
        tz.flatMap(CronTimeText.zone(named:)) ?? AgentSchedule.configuredZone(repoRoot: global.rootURL) ?? TimeZone.current
    }

    /// The parsed schedule, or the error printed and exit 1.
    func parse() throws -> AgentSchedule {
        switch AgentSchedule.parse(text) {
        case .success(let schedule): return schedule
        case .failure(let error):
            if global.format == .json {
                let obj: Value = .object([
                    ("ok", .bool(false)), ("expr", .string(text)),
                    (
                        "error",
                        .object([("rule", .string(error.rule)), ("message", .string(error.message)), ("column", .int(error.offset + 1))])
                    ),
                ])
                Output.line(JSONWriter.string(obj))
            } else {
                Output.log("error: column \(error.offset + 1): \(error.message) [\(error.rule)]")
            }
            throw ExitCode(1)
        }
    }

    /// Prints the next `count` runs after `start`.
    func next(count: Int, from start: Date) throws {
        let schedule = try parse()
        var times: [Date] = []
        var cursor = start
        while times.count < count, let next = schedule.next(after: cursor, in: zone) {
            times.append(next)
            cursor = next
        }
        let stamps = times.map { CronTimeText.format($0, in: zone) }
        if global.format == .json {
            Output.line(
                JSONWriter.string(
                    .object([
                        ("ok", .bool(true)), ("expr", .string(text)), ("tz", .string(zone.identifier)), ("agent", .bool(true)),
                        ("next", .array(stamps.map(Value.string))),
                    ])))
        } else {
            for stamp in stamps { Output.line(stamp) }
        }
    }

    /// Prints the schedule in words, with its warnings.
    func explain() throws {
        let schedule = try parse()
        let words = schedule.explanation(in: zone)
        if global.format == .json {
            let warnings: [Value] = schedule.warnings.map {
                .object([("rule", .string($0.rule)), ("message", .string($0.message)), ("column", .int($0.offset + 1))])
            }
            Output.line(
                JSONWriter.string(
                    .object([
                        ("ok", .bool(true)), ("expr", .string(text)), ("explanation", .string(words)), ("agent", .bool(true)),
                        ("warnings", .array(warnings)),
                    ])))
        } else {
            Output.line(words)
            for w in schedule.warnings { Output.log("warning: column \(w.offset + 1): \(w.message) [\(w.rule)]") }
        }
    }
}

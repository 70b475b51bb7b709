import ArgumentParser
import Foundation
import OverlayCore

/// `overlay cron next`: print the next fire times of a cron expression.
struct CronNextCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "next", abstract: "Print the next fire times of a cron expression.",
        discussion: """
            Times are strictly after --from, in --tz (default: the local zone), as Debian's cron \
            runs them, daylight-saving changes included (see docs/cron.md). @reboot has no next \
            time: it prints none and exits 0.
            """)

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The schedule: five fields (quote them) or a macro such as @daily.")
    var expression: [String] = []

    @Option(help: "Start after this time (ISO 8601; without an offset it is read in --tz). Default: now.")
    var from: String?

    @Option(help: "How many times to print (1–1000).")
    var count: Int = 5

    @Option(help: "Time zone: UTC or an IANA name such as Europe/Berlin. Default: the local zone.")
    var tz: String?

    @Option(help: .hidden)
    var benchFile: String?

    @Flag(help: "Read it as a schedule of the harness's own jobs (cron/agent-jobs.yaml), in its time zone.")
    var agent = false

    func validate() throws {
        try global.requireTextOrJSON()
        guard (1...1000).contains(count) || (benchFile != nil && count > 0) else {
            throw ValidationError("--count must be between 1 and 1000")
        }
        if expression.isEmpty && benchFile == nil { throw ValidationError("missing the cron expression") }
        _ = try zone()
        _ = try start(in: zone())
    }

    func run() throws {
        let zone = try zone()
        let start = try start(in: zone)
        if let benchFile { return try CronNextBenchmark.run(file: benchFile, count: count, from: start, zone: zone) }
        let text = expression.joined(separator: " ")
        if agent || AgentSchedule.isHarnessOnly(text) {  // agent jobs
            return try CronAgentSchedule(global: global, text: text, tz: tz).next(count: count, from: start)
        }
        let schedule: CronSchedule
        do {
            schedule = try CronSchedule.parse(text)
        } catch {
            report(error, text: text)
            throw ExitCode(1)
        }
        var times: [Date] = []
        var cursor = start
        while times.count < count, let next = schedule.next(after: cursor, in: zone) {
            times.append(next)
            cursor = next
        }
        let stamps = times.map { CronTimeText.format($0, in: zone) }
        switch global.format {
        case .json:
            var fields: [(String, Value)] = [
                ("ok", .bool(true)), ("expr", .string(text)), ("tz", .string(tz ?? zone.identifier)),
                ("next", .array(stamps.map(Value.string))),
            ]
            if schedule.isReboot { fields.append(("reboot", .bool(true))) }
            Output.line(JSONWriter.string(.object(fields)))
        default:
            if schedule.isReboot {
                Output.line("@reboot runs once when cron starts; it has no next fire time")
            }
            for stamp in stamps { Output.line(stamp) }
        }
    }

    private func report(_ error: CronError, text: String) {
        if global.format == .json {
            let obj: Value = .object([
                ("ok", .bool(false)), ("expr", .string(text)),
                (
                    "error",
                    .object([
                        ("rule", .string(error.rule)), ("message", .string(error.message)), ("column", .int(error.offset + 1)),
                    ])
                ),
            ])
            Output.line(JSONWriter.string(obj))
        } else {
            Output.log("error: column \(error.offset + 1): \(error.message) [\(error.rule)]")
            Output.log("  \(text)\n  \(String(repeating: " ", count: error.offset))^")
        }
    }

    private func zone() throws -> TimeZone {
        guard let name = tz else { return TimeZone.current }
        if let zone = CronTimeText.zone(named: name) { return zone }
        throw ValidationError("unknown time zone '\(name)'; use UTC or an IANA name such as Europe/Berlin")
    }

    private func start(in zone: TimeZone) throws -> Date {
        guard let from else { return Date() }
        if let date = CronTimeText.parse(from, in: zone) { return date }
        if CronTimeText.isSkippedLocalTime(from, in: zone) {
            throw ValidationError(
                "--from '\(from)': this local time does not exist in \(zone.identifier) (the clocks skip it when daylight saving time starts); pick a time outside that gap, or write it with an offset such as Z or +01:00"
            )
        }
        throw ValidationError(
            "--from '\(from)' is not an ISO 8601 time; write e.g. 2026-01-01T00:00:00Z or 2026-01-01T09:30")
    }
}

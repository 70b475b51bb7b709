import ArgumentParser
import OverlayCore

/// `overlay cron explain`: say a cron expression in plain words.
struct CronExplainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "explain", abstract: "Say a cron expression in plain words.")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The schedule: five fields (quote them) or a macro such as @daily.")
    var expression: [String] = []

    @Flag(help: "Read it as a schedule of the harness's own jobs (cron/agent-jobs.yaml), in its time zone.")
    var agent = false

    @Option(help: "With --agent: the harness's time zone (default: the repo's config.yaml timezone:, else local).")
    var tz: String?

    func validate() throws {
        try global.requireTextOrJSON()
        if expression.isEmpty { throw ValidationError("missing the cron expression") }
    }

    func run() throws {
        let text = expression.joined(separator: " ")
        if agent || AgentSchedule.isHarnessOnly(text) {  // agent jobs
            return try CronAgentSchedule(global: global, text: text, tz: tz).explain()
        }
        let schedule: CronSchedule
        do {
            schedule = try CronSchedule.parse(text)
        } catch {
            if global.format == .json {
                Output.line(
                    JSONWriter.string(
                        .object([
                            ("ok", .bool(false)), ("expr", .string(text)),
                            (
                                "error",
                                .object([
                                    ("rule", .string(error.rule)), ("message", .string(error.message)),
                                    ("column", .int(error.offset + 1)),
                                ])
                            ),
                        ])))
            } else {
                Output.log("error: column \(error.offset + 1): \(error.message) [\(error.rule)]")
            }
            throw ExitCode(1)
        }
        let warnings = schedule.warnings
        if global.format == .json {
            let items: [Value] = warnings.map {
                .object([("rule", .string($0.rule)), ("message", .string($0.message)), ("column", .int($0.offset + 1))])
            }
            Output.line(
                JSONWriter.string(
                    .object([
                        ("ok", .bool(true)), ("expr", .string(text)), ("explanation", .string(schedule.explanation)),
                        ("warnings", .array(items)),
                    ])))
        } else {
            Output.line(schedule.explanation)
            for w in warnings { Output.log("warning: column \(w.offset + 1): \(w.message) [\(w.rule)]") }
        }
    }
}

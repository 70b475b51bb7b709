import ArgumentParser

/// `overlay cron`: cron schedules and the managed crontab block.
struct CronCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cron",
        abstract: "Cron schedules: next fire times, explanations, managed-block drift.",
        subcommands: [CronNextCommand.self, CronExplainCommand.self, CronDiffCommand.self, CronImportCommand.self])
}

import ArgumentParser

/// `overlay cron`: cron schedules: next fire times, explanations, managed-block drift.
struct CronCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cron",
        abstract: "Cron schedules: next fire times, explanations, managed-block drift.")

    @OptionGroup var global: GlobalOptions

    @Argument(parsing: .allUnrecognized, help: .hidden)
    var rest: [String] = []

    func run() throws {
        throw CommandFailure.notImplemented("cron")
    }
}

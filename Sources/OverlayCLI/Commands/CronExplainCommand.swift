import ArgumentParser

/// `overlay cron explain`: say a cron expression in plain words.
struct CronExplainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "explain", abstract: "Say a cron expression in plain words.")

    @OptionGroup var global: GlobalOptions

    @Argument(parsing: .allUnrecognized, help: .hidden)
    var rest: [String] = []

    func run() throws {
        throw CommandFailure.notImplemented("cron explain")
    }
}

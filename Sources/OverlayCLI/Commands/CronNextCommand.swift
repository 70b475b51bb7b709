import ArgumentParser

/// `overlay cron next`: print the next fire times of a cron expression.
struct CronNextCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "next", abstract: "Print the next fire times of a cron expression.")

    @OptionGroup var global: GlobalOptions

    @Argument(parsing: .allUnrecognized, help: .hidden)
    var rest: [String] = []

    func run() throws {
        throw CommandFailure.notImplemented("cron next")
    }
}

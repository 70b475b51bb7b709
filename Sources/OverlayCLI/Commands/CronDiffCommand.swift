import ArgumentParser

/// `overlay cron diff`: show drift between declared and installed cron entries.
struct CronDiffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "diff", abstract: "Show drift between declared and installed cron entries.")

    @OptionGroup var global: GlobalOptions

    @Argument(parsing: .allUnrecognized, help: .hidden)
    var rest: [String] = []

    func run() throws {
        throw CommandFailure.notImplemented("cron diff")
    }
}

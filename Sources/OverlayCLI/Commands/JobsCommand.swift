import ArgumentParser

/// `overlay jobs`: run and inspect training and evaluation job playbooks.
struct JobsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "jobs",
        abstract: "Run and inspect training and evaluation job playbooks.")

    @OptionGroup var global: GlobalOptions

    @Argument(parsing: .allUnrecognized, help: .hidden)
    var rest: [String] = []

    func run() throws {
        throw CommandFailure.notImplemented("jobs")
    }
}

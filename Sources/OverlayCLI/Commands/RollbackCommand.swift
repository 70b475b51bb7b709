import ArgumentParser

/// `overlay rollback`: switch back to an earlier generation.
struct RollbackCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rollback",
        abstract: "Switch back to an earlier generation.")

    @OptionGroup var global: GlobalOptions

    @Argument(parsing: .allUnrecognized, help: .hidden)
    var rest: [String] = []

    func run() throws {
        throw CommandFailure.notImplemented("rollback")
    }
}

import ArgumentParser

/// `overlay deadman`: install, check, show or reset the deadman switch.
struct DeadmanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "deadman",
        abstract: "Install, check, show or reset the deadman switch.")

    @OptionGroup var global: GlobalOptions

    @Argument(parsing: .allUnrecognized, help: .hidden)
    var rest: [String] = []

    func run() throws {
        throw CommandFailure.notImplemented("deadman")
    }
}

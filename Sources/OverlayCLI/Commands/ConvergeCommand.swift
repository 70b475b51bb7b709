import ArgumentParser

/// `overlay converge`: converge fleet hosts from the inventory, locally or over SSH.
struct ConvergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "converge",
        abstract: "Converge fleet hosts from the inventory, locally or over SSH.")

    @OptionGroup var global: GlobalOptions

    @Argument(parsing: .allUnrecognized, help: .hidden)
    var rest: [String] = []

    func run() throws {
        throw CommandFailure.notImplemented("converge")
    }
}

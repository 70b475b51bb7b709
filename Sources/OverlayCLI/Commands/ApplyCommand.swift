import ArgumentParser

/// `overlay apply`: apply the golden state for this host into its homes, atomically.
struct ApplyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apply",
        abstract: "Apply the golden state for this host into its homes, atomically.")

    @OptionGroup var global: GlobalOptions

    @Argument(parsing: .allUnrecognized, help: .hidden)
    var rest: [String] = []

    func run() throws {
        throw CommandFailure.notImplemented("apply")
    }
}

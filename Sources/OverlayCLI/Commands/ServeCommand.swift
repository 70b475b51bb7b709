import ArgumentParser

/// `overlay serve`: run the signed-webhook receiver.
struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the signed-webhook receiver.")

    @OptionGroup var global: GlobalOptions

    @Argument(parsing: .allUnrecognized, help: .hidden)
    var rest: [String] = []

    func run() throws {
        throw CommandFailure.notImplemented("serve")
    }
}

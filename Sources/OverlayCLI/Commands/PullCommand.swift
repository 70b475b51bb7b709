import ArgumentParser

/// `overlay pull`: fetch the overlay repo with libgit2 and apply it.
struct PullCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pull",
        abstract: "Fetch the overlay repo with libgit2 and apply it.")

    @OptionGroup var global: GlobalOptions

    @Argument(parsing: .allUnrecognized, help: .hidden)
    var rest: [String] = []

    func run() throws {
        throw CommandFailure.notImplemented("pull")
    }
}

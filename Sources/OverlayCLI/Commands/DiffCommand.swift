import ArgumentParser

/// `overlay diff`: show what apply would change (apply --dry-run --diff).
struct DiffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "Show what apply would change (apply --dry-run --diff).")

    @OptionGroup var global: GlobalOptions

    @Argument(parsing: .allUnrecognized, help: .hidden)
    var rest: [String] = []

    func run() throws {
        throw CommandFailure.notImplemented("diff")
    }
}

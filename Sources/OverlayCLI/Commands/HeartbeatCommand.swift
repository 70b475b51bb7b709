import ArgumentParser

/// `overlay heartbeat`: touch the heartbeat stamp.
struct HeartbeatCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "heartbeat",
        abstract: "Touch the heartbeat stamp.")

    @OptionGroup var global: GlobalOptions

    @Argument(parsing: .allUnrecognized, help: .hidden)
    var rest: [String] = []

    func run() throws {
        throw CommandFailure.notImplemented("heartbeat")
    }
}

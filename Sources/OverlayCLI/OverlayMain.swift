import ArgumentParser
import Foundation
import OverlayCore

/// Starts the CLI: parses argv, runs the subcommand, maps errors to SPEC exit codes.
public enum OverlayMain {
    /// Runs `overlay` with the process arguments and exits.
    public static func run() async -> Never {
        do {
            var command = try OverlayCommand.parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
            exit(0)
        } catch let code as ExitCode {
            exit(code.rawValue)
        } catch let failure as CommandFailure {
            Output.error(failure.description)
            exit(failure.exitCode)
        } catch {
            let code = OverlayCommand.exitCode(for: error)
            if code == .success {
                OverlayCommand.exit(withError: error)
            }
            if code == .validationFailure {
                // SPEC §3: a usage error exits 2 (ArgumentParser's default is 64).
                var message = OverlayCommand.fullMessage(for: error)
                if message.hasPrefix("Error: ") { message.removeFirst("Error: ".count) }
                Output.error(message)
                // JSON callers get their one object on stdout for every failure, usage included.
                if wantsJSON(CommandLine.arguments) {
                    let firstLine = message.split(separator: "\n").first.map(String.init) ?? message
                    let object: Value = .object([("ok", .bool(false)), ("error", .string(firstLine)), ("usage", .bool(true))])
                    Output.raw(JSONWriter.string(object, pretty: true) + "\n")
                }
                exit(2)
            }
            Output.error("\(error)")
            exit(1)
        }
    }
}

/// True when the arguments ask for `--format json` (also as `--format=json`), read without the
/// parser: a usage error means the parser did not finish.
func wantsJSON(_ arguments: [String]) -> Bool {
    for (i, argument) in arguments.enumerated() {
        if argument == "--format=json" { return true }
        if argument == "--format", i + 1 < arguments.count, arguments[i + 1] == "json" { return true }
        if argument == "--" { return false }
    }
    return false
}

/// The root command: `overlay <subcommand>`.
struct OverlayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "overlay",
        abstract: "Declarative GitOps overlay for a fleet of self-hosted AI agents.",
        discussion: "Exit codes: 0 success, 1 problems found, 2 usage error, 75 lock held.",
        subcommands: [
            ValidateCommand.self,
            ApplyCommand.self,
            DiffCommand.self,
            GenerationsCommand.self,
            RollbackCommand.self,
            StatusCommand.self,
            CronCommand.self,
            InventoryCommand.self,
            ConvergeCommand.self,
            PullCommand.self,
            ServeCommand.self,
            HeartbeatCommand.self,
            DeadmanCommand.self,
            JobsCommand.self,
        ]
    )

    /// Bare `overlay` names no command: a usage error (SPEC §3), with the usage on stderr.
    /// `overlay --help` still prints it on stdout and exits 0.
    func run() async throws {
        Output.log(Self.helpMessage())
        Output.error("missing a subcommand; run 'overlay --help' or 'overlay help <subcommand>'")
        throw ExitCode(2)
    }
}

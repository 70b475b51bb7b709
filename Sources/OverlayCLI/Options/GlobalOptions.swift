import ArgumentParser
import Foundation
import OverlayEngine

/// Output formats; `github` and `sarif` are accepted by `validate` only.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json, github, sarif
}

/// Options every subcommand accepts after its name (SPEC §3).
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: "The overlay repo (default: the current directory).")
    var root: String = "."

    @Option(name: .long, help: "Output format: text or json ('overlay validate' also takes github and sarif).")
    var format: OutputFormat = .text

    @Flag(name: .shortAndLong, help: "Print only problems.")
    var quiet = false

    @Flag(name: .shortAndLong, help: "Print more detail (apply, diff, rollback: unchanged paths too).")
    var verbose = false

    /// The repo root as an absolute URL.
    var rootURL: URL {
        URL(fileURLWithPath: root, relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
            .standardizedFileURL
    }

    /// A `--root` that does not exist is a usage error, not an empty repo.
    func validate() throws {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: rootURL.path, isDirectory: &isDir), isDir.boolValue else {
            throw ValidationError("--root \(root): no such directory; point it at the overlay repo")
        }
    }

    /// The engine, working in this process's environment; notices go to stderr, and progress
    /// is shown live when stderr is a terminal.
    var engine: Engine {
        Engine(environment: .process(log: { Output.log($0) }, showsProgress: isatty(STDERR_FILENO) == 1))
    }

    /// Rejects formats a command does not support.
    func requireTextOrJSON() throws {
        if format == .github || format == .sarif {
            throw ValidationError("--format \(format.rawValue) is only accepted by 'overlay validate'; use text or json")
        }
    }
}

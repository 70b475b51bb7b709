import ArgumentParser
import OverlayCore
import OverlayEngine

/// `overlay validate`: checks the whole overlay repo and reports every problem.
struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check the overlay repo: YAML/JSON, config schema, policy, cron, inventory, playbooks.")

    @OptionGroup var global: GlobalOptions

    @Flag(help: "Fail on warnings too.")
    var strict = false

    func run() throws {
        let report = Engine.validate(root: global.rootURL)
        switch global.format {
        case .text:
            var text = DiagnosticRenderer.text(report, strict: strict)
            if global.quiet { text = report.diagnostics.map { $0.description + "\n" }.joined() }
            Output.raw(text)
        case .json: Output.raw(DiagnosticRenderer.json(report, strict: strict))
        case .github: Output.raw(DiagnosticRenderer.github(report, strict: strict))
        case .sarif: Output.raw(DiagnosticRenderer.sarif(report, version: OverlayVersion.current))
        }
        if !report.passed(strict: strict) { throw ExitCode(1) }
    }
}

/// The tool's version string.
enum OverlayVersion {
    static let current = "0.1.0"
}

import ArgumentParser
import Foundation
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
        // The process exits inside the closure, with the repo's trees still alive: freeing
        // them node by node would be one more phase on one core.
        Engine.validate(root: global.rootURL) { report -> Never in
            render(report)
            Foundation.exit(report.passed(strict: strict) ? 0 : 1)
        }
    }

    private func render(_ report: ValidationReport) {
        switch global.format {
        case .text:
            var text = DiagnosticRenderer.text(report, strict: strict)
            if global.quiet { text = report.diagnostics.map { $0.description + "\n" }.joined() }
            Output.raw(text)
        case .json: Output.raw(DiagnosticRenderer.json(report, strict: strict))
        case .github: Output.raw(DiagnosticRenderer.github(report, strict: strict))
        case .sarif: Output.raw(DiagnosticRenderer.sarif(report, version: OverlayVersion.current))
        }
    }
}

/// The tool's version string.
enum OverlayVersion {
    static let current = "0.1.0"
}

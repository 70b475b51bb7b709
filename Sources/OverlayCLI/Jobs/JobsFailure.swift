import ArgumentParser
import Foundation
import OverlayCore
import OverlayJobs

/// Exit codes and failure output shared by the jobs subcommands.
enum JobsFailure {
    /// Reports `error` (as JSON on stdout with `--format json`) and exits: 75 for a held
    /// lock, 2 for usage errors, 1 for the rest.
    static func exit(_ error: any Error, format: OutputFormat) throws -> Never {
        if error is ValidationError { throw error }
        let code: Int32
        let message: String
        switch error {
        case let jobs as JobsError:
            if case .lockHeld = jobs { code = 75 } else { code = 1 }
            message = jobs.description
        case let failure as CommandFailure:
            code = failure.exitCode
            message = failure.description
        default:
            code = 1
            message = "\(error)"
        }
        if format == .json { Output.raw(JobsOutput.failure(message)) }
        Output.error(message)
        throw ExitCode(code)
    }

    /// Prints a run's report and exits 1 unless it finished `done`.
    static func render(_ report: RunReport, global: GlobalOptions) throws {
        if global.format == .json {
            Output.raw(JSONWriter.string(JobsOutput.json(report), pretty: true) + "\n")
        } else if !global.quiet || !report.ok {
            Output.raw(JobsOutput.text(report))
        }
        if !report.ok { throw ExitCode(1) }
    }
}

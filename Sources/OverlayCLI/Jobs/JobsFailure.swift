import ArgumentParser
import Foundation
import OverlayCore
import OverlayJobs

/// Exit codes and failure output shared by the jobs subcommands.
enum JobsFailure {
    /// Reports `error` through `FailureOutput` (75 for a held lock, 2 for usage errors, 1 for
    /// the rest).
    static func exit(_ error: any Error, format: OutputFormat) throws -> Never {
        if error is ValidationError { throw error }
        throw FailureOutput.report(error, format: format, fields: JobsOutput.failureFields)
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

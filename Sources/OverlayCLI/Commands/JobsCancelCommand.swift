import ArgumentParser
import Foundation
import OverlayCore
import OverlayEngine
import OverlayJobs

/// `overlay jobs cancel RUN`: stops a running run; its steps' process groups get SIGTERM, then SIGKILL.
struct JobsCancelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cancel",
        abstract: "Cancel a running run: its running steps are ended, the rest never start.",
        discussion: "Waits for the run's runner to record it cancelled. A run whose runner died is cancelled here.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var scope: JobsScope

    @Argument(help: ArgumentHelp("The run id.", valueName: "run"))
    var runID: Int64

    @Option(help: "Seconds to wait for the runner to end the run's steps.")
    var wait: Double = 60

    func run() throws {
        try global.requireTextOrJSON()
        let report: RunReport
        do {
            let jobs = try scope.jobs(global)
            report = try Jobs.cancel(runID, jobs: jobs, wait: .milliseconds(Int64(max(wait, 0) * 1000)))
        } catch {
            try JobsFailure.exit(error, format: global.format)
        }
        let cancelled = report.run.status == .cancelled
        if global.format == .json {
            guard case .object(var pairs) = JobsOutput.json(report) else { return }
            pairs[0] = ("ok", .bool(cancelled))
            Output.raw(JSONWriter.string(.object(pairs), pretty: true) + "\n")
        } else {
            Output.raw(JobsOutput.text(report))
        }
        if !cancelled {
            Output.error(
                report.run.status == .running
                    ? "run \(runID) is still \(report.run.shownStatus) after \(Int(wait)) s; its runner has been asked to cancel"
                    : "run \(runID) finished (\(report.run.status.rawValue)) before it could be cancelled")
            throw ExitCode(1)
        }
    }
}

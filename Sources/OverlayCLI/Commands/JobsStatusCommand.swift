import ArgumentParser
import Foundation
import OverlayCore
import OverlayEngine
import OverlayJobs

/// `overlay jobs status [RUN]`: one run's steps, gate numbers and promotion.
struct JobsStatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show a run (default: the latest): its steps, the gate's numbers and the promotion.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var scope: JobsScope

    @Argument(help: ArgumentHelp("The run id (default: the latest run).", valueName: "run"))
    var runID: Int64?

    func run() throws {
        try global.requireTextOrJSON()
        let report: RunReport?
        do { report = try Jobs.status(runID, jobs: try scope.jobs(global)) } catch {
            try JobsFailure.exit(error, format: global.format)
        }
        guard let report else {
            let message = "no runs yet (run one with 'overlay jobs run PLAYBOOK')"
            if global.format == .json {
                Output.raw(JSONWriter.string(.object([("ok", .bool(true)), ("run", .null)]), pretty: true) + "\n")
            } else {
                Output.line(message)
            }
            return
        }
        // Showing a run succeeds whatever the run's outcome.
        if global.format == .json {
            Output.raw(JSONWriter.string(JobsOutput.json(report), pretty: true) + "\n")
        } else {
            Output.raw(JobsOutput.text(report))
        }
    }
}

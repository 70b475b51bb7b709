import ArgumentParser
import Foundation
import OverlayCore
import OverlayEngine
import OverlayJobs

/// `overlay jobs resume RUN`: finishes a run that was interrupted, failed or cancelled.
struct JobsResumeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "resume",
        abstract: "Finish a run: its done steps are kept, every other step runs again.",
        discussion: "The run's playbook is rerun as the run first ran it (host variables included).")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var scope: JobsScope

    @Argument(help: ArgumentHelp("The run id ('overlay jobs list').", valueName: "run"))
    var runID: Int64

    @Option(help: "Seconds to wait for another run of the playbook to end (then exit 75).")
    var lockTimeout: Double = 0

    func run() throws {
        try global.requireTextOrJSON()
        let (interrupts, sources) = JobsInterrupts.install()
        let line = global.format == .text && !global.quiet ? JobsProgressLine.forTerminal() : nil
        let report: RunReport
        do {
            let jobs = try scope.jobs(global)
            var settings = RunSettings()
            settings.lockTimeout = lockTimeout
            let levels = DataPolicy.of(LoadedRepo(root: global.rootURL))?.consentLevels
            report = try Jobs.resume(
                runID, jobs: jobs, settings: settings, consentLevels: levels, interrupts: interrupts,
                progress: JobsProgressLine.callback(line))
        } catch {
            line?.finish()
            try JobsFailure.exit(error, format: global.format)
        }
        line?.finish()
        withExtendedLifetime(sources) {}
        try JobsFailure.render(report, global: global)
    }
}

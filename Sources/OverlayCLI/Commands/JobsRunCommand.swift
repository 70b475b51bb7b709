import ArgumentParser
import Foundation
import OverlayCore
import OverlayEngine
import OverlayJobs

/// `overlay jobs run PLAYBOOK`: runs a job playbook's steps in dependency order.
struct JobsRunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a job playbook: its steps in dependency order, recorded in the job ledger.",
        discussion: """
            Exit 0 when every step finished done or was skipped, 1 when a step failed or a gate \
            rejected the candidate, 75 when another run of the playbook holds its lock.
            """)

    @OptionGroup var global: GlobalOptions
    @OptionGroup var scope: JobsScope

    @Argument(help: "The job playbook (e.g. playbooks/training.yaml).")
    var playbook: String

    @Flag(help: "Print the plan (order, what each 'when' says now) and run nothing.")
    var dryRun = false

    @Option(help: "Steps running at once (default: the machine's cores).")
    var parallel: Int?

    @Option(help: "Seconds to wait for another run of the playbook to end (then exit 75).")
    var lockTimeout: Double = 0

    @Option(help: "The run's working directory (default: <state dir>/jobs/workspaces/<playbook name>).")
    var workdir: String?

    func validate() throws {
        if let parallel, parallel < 1 { throw ValidationError("--parallel must be at least 1") }
    }

    func run() throws {
        try global.requireTextOrJSON()
        let loaded: LoadedJobPlaybook
        do { loaded = try scope.load(playbook, global: global) } catch {
            try JobsFailure.exit(error, format: global.format)
        }
        var request = RunRequest(playbook: loaded.playbook, playbookPath: loaded.path, host: loaded.host, jobs: loaded.jobs)
        request.workdir = workdir.map { URL(fileURLWithPath: $0).standardizedFileURL.path }
        request.consentLevels = loaded.consentLevels
        request.settings.lockTimeout = lockTimeout
        if let parallel { request.settings.parallel = parallel }
        if dryRun {
            let plan = Jobs.plan(request)
            Output.raw(
                global.format == .json ? JSONWriter.string(JobsPlanOutput.json(plan), pretty: true) + "\n" : JobsPlanOutput.text(plan))
            return
        }
        let (interrupts, sources) = JobsInterrupts.install()
        let line = global.format == .text && !global.quiet ? JobsProgressLine.forTerminal() : nil
        let report: RunReport
        do { report = try Jobs.run(request, interrupts: interrupts, progress: JobsProgressLine.callback(line)) } catch {
            line?.finish()
            try JobsFailure.exit(error, format: global.format)
        }
        line?.finish()
        withExtendedLifetime(sources) {}
        try JobsFailure.render(report, global: global)
    }
}

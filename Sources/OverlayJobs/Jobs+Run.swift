import Foundation
import OverlayCore
import OverlayRuntime

/// The jobs library's entry points: one call per `overlay jobs` subcommand.
public enum Jobs {
    /// Runs a playbook: takes its lock (or throws `lockHeld`), ends what an interrupted earlier
    /// run left running, records a new run and runs every step. `interrupts` lets the caller
    /// cancel the run (SIGINT, SIGTERM) the same way `overlay jobs cancel` does.
    public static func run(
        _ request: RunRequest, interrupts: ChildCancellation = ChildCancellation(), progress: (@Sendable (RunProgress) -> Void)? = nil
    ) throws(JobsError) -> RunReport {
        let ledger = try request.jobs.openLedger()
        let lock = try takeLock(request, ledger: ledger)
        defer { lock.release() }
        try reapInterrupted(playbook: request.playbook.name, ledger: ledger, settings: request.settings, clock: request.clock)
        let workdir = request.resolvedWorkdir
        do { try FileManager.default.createDirectory(atPath: workdir, withIntermediateDirectories: true) } catch {
            throw .io("cannot create the working directory \(workdir): \(error.localizedDescription)")
        }
        let id = try ledger.createRun(
            request.playbook, playbookPath: request.playbookPath, host: request.host, workdir: workdir, runner: .current,
            at: request.clock.now())
        return try finish(id, request: request, ledger: ledger, interrupts: interrupts, progress: progress)
    }

    /// Resumes run `id`: keeps its `done` steps and reruns every other one, with the playbook
    /// as the run first ran it. A `done` gate whose candidate, baseline or promote source
    /// changed since it decided decides again, and the steps after it run again.
    public static func resume(
        _ id: Int64, jobs: JobsDirectory, settings: RunSettings = RunSettings(), consentLevels: [String]?,
        environment: [String: String] = ProcessInfo.processInfo.environment, clock: any WallClock = SystemClock(),
        interrupts: ChildCancellation = ChildCancellation(), progress: (@Sendable (RunProgress) -> Void)? = nil
    ) throws(JobsError) -> RunReport {
        let ledger = try jobs.openLedger()
        guard let record = try ledger.run(id) else { throw .noSuchRun(id) }
        if record.status == .done { throw .runFinished(run: id, status: .done, action: "resume") }
        var request = RunRequest(playbook: record.definition, playbookPath: record.playbookPath, host: record.host, jobs: jobs)
        request.workdir = record.workdir
        request.settings = settings
        request.consentLevels = consentLevels
        request.environment = environment
        request.clock = clock
        let lock = try takeLock(request, ledger: ledger)
        defer { lock.release() }
        try reapInterrupted(playbook: record.playbook, ledger: ledger, settings: settings, clock: clock)
        try endOrphans(of: id, ledger: ledger, settings: settings)
        request.regated = try GateInputs.reopenStale(run: id, playbook: record.definition, workdir: record.workdir, ledger: ledger)
        try ledger.resetUnfinishedSteps(run: id)
        try ledger.resumeRun(id, runner: .current)
        return try finish(id, request: request, ledger: ledger, interrupts: interrupts, progress: progress)
    }

    private static func finish(
        _ id: Int64, request: RunRequest, ledger: JobLedger, interrupts: ChildCancellation,
        progress: (@Sendable (RunProgress) -> Void)?
    ) throws(JobsError) -> RunReport {
        let done = Dictionary(
            uniqueKeysWithValues: try ledger.steps(run: id).filter { $0.status == .done }.map { ($0.name, StepStatus.done) })
        let scheduler = RunScheduler(
            run: id, request: request, ledger: ledger, cancellation: interrupts, progress: progress, finished: done)
        let (status, reason) = scheduler.runToEnd()
        try ledger.finishRun(id, status: status, reason: reason, at: request.clock.now())
        return try report(id, ledger: ledger)
    }

    private static func takeLock(_ request: RunRequest, ledger: JobLedger) throws(JobsError) -> RunLock {
        let name = request.playbook.name
        return try RunLock.acquire(path: request.jobs.lockPath(playbook: name), playbook: name, timeout: request.settings.lockTimeout) {
            let live = (try? ledger.unfinishedRuns(playbook: name))?.last { !$0.isInterrupted }
            return live?.id
        }
    }

    /// Runs of the playbook whose runner died: their steps' processes are ended and the runs
    /// marked failed (still resumable). Called with the playbook's lock held, so no live
    /// runner of the playbook can be mistaken for a dead one.
    static func reapInterrupted(playbook: String, ledger: JobLedger, settings: RunSettings, clock: any WallClock) throws(JobsError) {
        for run in try ledger.unfinishedRuns(playbook: playbook) where run.isInterrupted {
            let ended = try endOrphans(of: run.id, ledger: ledger, settings: settings)
            for step in try ledger.steps(run: run.id) where step.status == .running {
                try ledger.stepFinished(
                    run: run.id, step: step.name, status: .failed, reason: "its runner (pid \(run.runner?.pid ?? 0)) died", at: clock.now())
            }
            let note = ended.isEmpty ? "" : "; ended its leftover steps \(ended.joined(separator: ", "))"
            try ledger.finishRun(
                run.id, status: .failed,
                reason: "the runner (pid \(run.runner?.pid ?? 0)) died\(note); 'overlay jobs resume \(run.id)' finishes it",
                at: clock.now())
        }
    }

    /// Ends the process groups of a run's `running` steps that still live (pid + start time
    /// match). Returns the steps whose processes were ended.
    @discardableResult
    static func endOrphans(of run: Int64, ledger: JobLedger, settings: RunSettings) throws(JobsError) -> [String] {
        var ended: [String] = []
        for step in try ledger.steps(run: run) where step.status == .running {
            if let process = step.process, process.terminateGroup(grace: settings.killGrace) { ended.append(step.name) }
        }
        return ended
    }
}

import Foundation
import OverlayCore
import OverlayRuntime

/// A run as the ledger holds it, with its steps, gate decisions and promotions.
public struct RunReport: Sendable {
    public var run: RunRecord
    public var steps: [StepRecord]
    public var gates: [GateRecord]
    public var promotions: [PromotionRecord]

    /// True when the run finished `done`.
    public var ok: Bool { run.status == .done }
}

extension Jobs {
    /// The report of run `id`.
    public static func report(_ id: Int64, ledger: JobLedger) throws(JobsError) -> RunReport {
        guard let run = try ledger.run(id) else { throw .noSuchRun(id) }
        let promotions = try ledger.promotions(playbook: run.playbook).filter { $0.run == id }
        return RunReport(run: run, steps: try ledger.steps(run: id), gates: try ledger.gates(run: id), promotions: promotions)
    }

    /// `overlay jobs status [RUN]`: the run, or the latest one; nil when the ledger has none.
    public static func status(_ id: Int64?, jobs: JobsDirectory) throws(JobsError) -> RunReport? {
        guard let ledger = try jobs.existingLedger() else {
            if let id { throw .noSuchRun(id) }
            return nil
        }
        let latest = try ledger.runs(limit: 1).first?.id
        guard let chosen = id ?? latest else { return nil }
        return try report(chosen, ledger: ledger)
    }

    /// `overlay jobs list`: the latest runs, newest first, each with its steps.
    public static func list(jobs: JobsDirectory, playbook: String? = nil, limit: Int = 20) throws(JobsError) -> [RunReport] {
        guard let ledger = try jobs.existingLedger() else { return [] }
        var reports: [RunReport] = []
        for run in try ledger.runs(playbook: playbook, limit: limit) {
            reports.append(RunReport(run: run, steps: try ledger.steps(run: run.id), gates: try ledger.gates(run: run.id), promotions: []))
        }
        return reports
    }

    /// `overlay jobs log RUN STEP`: the step's log file (nil when the step wrote none yet).
    public static func logPath(run id: Int64, step: String, jobs: JobsDirectory) throws(JobsError) -> String? {
        guard let ledger = try jobs.existingLedger(), let run = try ledger.run(id) else { throw .noSuchRun(id) }
        let steps = try ledger.steps(run: id)
        guard let record = steps.first(where: { $0.name == step }) else {
            throw .noSuchStep(run: run.id, step: step, known: steps.map(\.name))
        }
        guard let path = record.logPath, FileManager.default.fileExists(atPath: path) else { return nil }
        return path
    }

    /// `overlay jobs cancel RUN`: asks the run's runner to stop and waits (up to `wait`) for it
    /// to end its steps; a run whose runner is gone is cancelled here, its leftover step
    /// processes ended.
    public static func cancel(
        _ id: Int64, jobs: JobsDirectory, settings: RunSettings = RunSettings(), wait: Duration = .seconds(60),
        clock: any WallClock = SystemClock()
    ) throws(JobsError) -> RunReport {
        guard let ledger = try jobs.existingLedger(), let run = try ledger.run(id) else { throw .noSuchRun(id) }
        guard run.status == .running else { throw .runFinished(run: id, status: run.status, action: "cancel") }
        try ledger.requestCancel(id)
        let deadline = ContinuousClock.now + wait
        while let now = try ledger.run(id), now.status == .running, !now.isInterrupted, ContinuousClock.now < deadline {
            usleep(50_000)
        }
        if let now = try ledger.run(id), now.status == .running, now.isInterrupted {
            try endOrphans(of: id, ledger: ledger, settings: settings)
            for step in try ledger.steps(run: id) where !step.status.isFinal {
                try ledger.stepFinished(run: id, step: step.name, status: .cancelled, reason: "run cancelled", at: clock.now())
            }
            try ledger.finishRun(id, status: .cancelled, reason: "cancelled (its runner had died)", at: clock.now())
        }
        return try report(id, ledger: ledger)
    }
}

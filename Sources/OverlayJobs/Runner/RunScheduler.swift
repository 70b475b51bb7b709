import Foundation
import OverlayCore
import OverlayRuntime

/// Runs a playbook's DAG for one run: steps in dependency order, independent ones side by
/// side up to `parallel`, never two with the same `resource` at once; a step whose
/// dependency did not finish `done` is skipped naming it. Each step runs on a thread of its
/// own (it mostly waits on its process); this thread only schedules, watches for a cancel
/// request and reports progress.
final class RunScheduler: @unchecked Sendable {
    let run: Int64
    let request: RunRequest
    let ledger: JobLedger
    let cancellation: ChildCancellation
    let progress: (@Sendable (RunProgress) -> Void)?

    private let condition = NSCondition()
    private var status: [String: StepStatus] = [:]
    private var reasons: [String: String] = [:]
    private var running: [String] = []
    private var busy: Set<String> = []

    init(
        run: Int64, request: RunRequest, ledger: JobLedger, cancellation: ChildCancellation,
        progress: (@Sendable (RunProgress) -> Void)?, finished: [String: StepStatus] = [:]
    ) {
        self.run = run
        self.request = request
        self.ledger = ledger
        self.cancellation = cancellation
        self.progress = progress
        for step in request.playbook.steps { status[step.name] = finished[step.name] ?? .pending }
    }

    var steps: [JobStep] { request.playbook.steps }

    /// Runs every pending step to a final state; returns the run's status and reason.
    func runToEnd() -> (RunStatus, String?) {
        let start = ContinuousClock.now
        var lastCancelCheck = ContinuousClock.now - .seconds(1)
        condition.lock()
        while true {
            if !cancellation.isCancelled, ContinuousClock.now - lastCancelCheck >= request.settings.pollInterval {
                lastCancelCheck = ContinuousClock.now
                condition.unlock()
                let asked = (try? ledger.isCancelRequested(run)) ?? false
                condition.lock()
                if asked { cancellation.cancel() }
            }
            if cancellation.isCancelled { cancelPending() }
            scheduleReadySteps()
            report(since: start)
            if running.isEmpty && !status.values.contains(.pending) { break }
            _ = condition.wait(until: Date().addingTimeInterval(StepExecutor.seconds(request.settings.pollInterval)))
        }
        condition.unlock()
        return verdict()
    }

    /// Starts (or skips) every pending step whose dependencies are final. Called locked.
    private func scheduleReadySteps() {
        for step in steps where status[step.name] == .pending {
            let deps = step.needs.map { ($0, status[$0] ?? .pending) }
            if let (blocker, how) = deps.first(where: { $0.1.blocksDependents }) {
                let word = how == .skipped ? "skipped" : how == .cancelled ? "cancelled" : "failed"
                finish(step.name, StepOutcome(status: .skipped, reason: "upstream \(blocker) \(word)"))
                continue
            }
            guard deps.allSatisfy({ $0.1 == .done }), running.count < max(request.settings.parallel, 1) else { continue }
            if let resource = step.resource {
                guard !busy.contains(resource) else { continue }
                busy.insert(resource)
            }
            status[step.name] = .running
            running.append(step.name)
            let executor = StepExecutor(run: run, request: request, ledger: ledger, cancellation: cancellation)
            Thread.detachNewThread { [self] in
                let outcome = executor.execute(step)
                condition.lock()
                finish(step.name, outcome)
                running.removeAll { $0 == step.name }
                if let resource = step.resource { busy.remove(resource) }
                condition.broadcast()
                condition.unlock()
            }
        }
    }

    /// Records a step's final state in memory and in the ledger. Called locked.
    private func finish(_ name: String, _ outcome: StepOutcome) {
        status[name] = outcome.status
        if let reason = outcome.reason { reasons[name] = reason }
        try? ledger.stepFinished(
            run: run, step: name, status: outcome.status, exitCode: outcome.exitCode, reason: outcome.reason, metrics: outcome.metrics,
            at: request.clock.now())
    }

    /// After a cancel: nothing new starts; running steps end through the cancellation.
    private func cancelPending() {
        for step in steps where status[step.name] == .pending {
            finish(step.name, StepOutcome(status: .cancelled, reason: "run cancelled"))
        }
    }

    private func report(since start: ContinuousClock.Instant) {
        guard let progress else { return }
        let finished = status.values.filter(\.isFinal).count
        let names = steps.map(\.name).filter { running.contains($0) }
        progress(RunProgress(run: run, total: steps.count, finished: finished, running: names, elapsed: ContinuousClock.now - start))
    }

    /// The run's status from its steps' final states.
    private func verdict() -> (RunStatus, String?) {
        if cancellation.isCancelled { return (.cancelled, "cancelled") }
        let bad = steps.filter { s in status[s.name] == .failed || status[s.name] == .timedOut }
        guard let first = bad.first else { return (.done, nil) }
        let why = reasons[first.name].map { ": \($0)" } ?? ""
        let more = bad.count > 1 ? " (and \(bad.dropFirst().map(\.name).joined(separator: ", ")))" : ""
        return (.failed, "step \(first.name) \(status[first.name]?.rawValue ?? "failed")\(why)\(more)")
    }
}

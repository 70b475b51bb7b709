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
    /// Running steps waiting for their resource's host-wide lock.
    private var waitingForResource: Set<String> = []
    private var busy: Set<String> = []
    /// Per step: how many of its `needs` are not final yet; at 0 it is ready.
    private var waiting: [String: Int] = [:]
    private var dependents: [String: [String]] = [:]
    /// Pending steps whose `needs` are all final, by file position.
    private var ready: Set<Int> = []
    private var position: [String: Int] = [:]
    private var pending = 0
    private var finished = 0

    init(
        run: Int64, request: RunRequest, ledger: JobLedger, cancellation: ChildCancellation,
        progress: (@Sendable (RunProgress) -> Void)?, finished: [String: StepStatus] = [:]
    ) {
        self.run = run
        self.request = request
        self.ledger = ledger
        self.cancellation = cancellation
        self.progress = progress
        for (index, step) in request.playbook.steps.enumerated() {
            status[step.name] = finished[step.name] ?? .pending
            position[step.name] = index
            for dep in step.needs { dependents[dep, default: []].append(step.name) }
        }
        for step in request.playbook.steps where status[step.name] == .pending {
            pending += 1
            waiting[step.name] = step.needs.filter { !(status[$0]?.isFinal ?? true) }.count
            if waiting[step.name] == 0, let index = position[step.name] { ready.insert(index) }
        }
        self.finished = status.count - pending
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
            if running.isEmpty && pending == 0 { break }
            _ = condition.wait(until: Date().addingTimeInterval(StepExecutor.seconds(request.settings.pollInterval)))
        }
        condition.unlock()
        return verdict()
    }

    /// Starts (or skips) the ready steps, in file order, while there is room. A skip makes
    /// its dependents ready at once, so the loop runs until nothing changes. Called locked.
    private func scheduleReadySteps() {
        var changed = true
        while changed {
            changed = false
            for index in ready.sorted() {
                let step = steps[index]
                if let blocker = step.needs.first(where: { status[$0]?.blocksDependents ?? false }), let how = status[blocker] {
                    let word = how == .skipped ? "skipped" : how == .cancelled ? "cancelled" : "failed"
                    finish(step.name, StepOutcome(status: .skipped, reason: "upstream \(blocker) \(word)"))
                    changed = true
                    continue
                }
                guard running.count < max(request.settings.parallel, 1) else { return }
                if start(step) { ready.remove(index) }
            }
        }
    }

    /// Starts a ready step on a thread of its own, unless its resource is busy. Called locked.
    private func start(_ step: JobStep) -> Bool {
        if let resource = step.resource {
            guard !busy.contains(resource) else { return false }
            busy.insert(resource)
        }
        status[step.name] = .running
        pending -= 1
        running.append(step.name)
        let executor = StepExecutor(run: run, request: request, ledger: ledger, cancellation: cancellation) { [self] waits in
            condition.lock()
            if waits { waitingForResource.insert(step.name) } else { waitingForResource.remove(step.name) }
            report(since: nil)
            condition.unlock()
        }
        Thread.detachNewThread { [self] in
            let outcome = executor.execute(step)
            condition.lock()
            finish(step.name, outcome)
            running.removeAll { $0 == step.name }
            waitingForResource.remove(step.name)
            if let resource = step.resource { busy.remove(resource) }
            condition.broadcast()
            condition.unlock()
        }
        return true
    }

    /// Records a step's final state in memory and in the ledger. Called locked.
    private func finish(_ name: String, _ outcome: StepOutcome) {
        if status[name] == .pending, let index = position[name] {
            pending -= 1
            ready.remove(index)
        }
        if status[name]?.isFinal == false { finished += 1 }
        status[name] = outcome.status
        for child in dependents[name] ?? [] where status[child] == .pending {
            waiting[child, default: 1] -= 1
            if waiting[child] == 0, let index = position[child] { ready.insert(index) }
        }
        if let reason = outcome.reason { reasons[name] = reason }
        try? ledger.stepFinished(
            run: run, step: name, status: outcome.status, exitCode: outcome.exitCode, reason: outcome.reason, metrics: outcome.metrics,
            at: request.clock.now())
    }

    /// After a cancel: nothing new starts; running steps end through the cancellation.
    private func cancelPending() {
        guard pending > 0 else { return }
        for step in steps where status[step.name] == .pending {
            finish(step.name, StepOutcome(status: .cancelled, reason: "run cancelled"))
        }
    }

    private var started = ContinuousClock.now

    /// Tells the progress callback where the run is. Called locked.
    private func report(since start: ContinuousClock.Instant?) {
        guard let progress else { return }
        if let start { started = start }
        let names = running.sorted { (position[$0] ?? 0) < (position[$1] ?? 0) }
        progress(
            RunProgress(
                run: run, total: steps.count, finished: finished, running: names.filter { !waitingForResource.contains($0) },
                waiting: names.filter(waitingForResource.contains).map { ($0, steps[position[$0] ?? 0].resource ?? "") },
                elapsed: ContinuousClock.now - started))
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

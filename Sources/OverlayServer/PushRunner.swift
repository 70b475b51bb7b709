import Foundation
import Logging
import OverlayRuntime

/// Runs the action in the background, at most one run at a time. Pushes that arrive
/// during a run coalesce into one more run after it, which starts after the last of
/// them was accepted, so the fleet ends on the newest commit without a run per push.
actor PushRunner {
    private let action: any PushAction
    private let ref: String
    private let state: ServerState
    private let clock: any WallClock
    private let logger: Logger
    private var current: Task<Void, Never>?
    private var waitingPushes = 0
    private var stopping = false

    init(action: any PushAction, ref: String, state: ServerState, clock: any WallClock, logger: Logger) {
        self.action = action
        self.ref = ref
        self.state = state
        self.clock = clock
        self.logger = logger
    }

    /// Asks for a run: starts one now, or after the current one.
    func push() {
        guard !stopping else { return }
        waitingPushes += 1
        if current == nil {
            current = Task { await self.runWhileWaiting() }
        }
        state.recordQueue(running: current != nil, waitingPushes: waitingPushes)
    }

    /// Starts no more runs from now on (shutdown has begun).
    func refuseNewRuns() {
        stopping = true
    }

    /// Stops starting runs and waits for the current one at most `grace`, then cancels it.
    /// Returns whether the run (if any) finished in time.
    func stop(grace: Duration) async -> Bool {
        stopping = true
        guard let task = current else { return true }
        let finished = await Self.wait(for: task, atMost: grace)
        if !finished {
            logger.warning("shutdown: the run did not finish in time and was cancelled", metadata: ["grace": "\(grace)"])
            task.cancel()
        }
        return finished
    }

    private func runWhileWaiting() async {
        while waitingPushes > 0, !stopping {
            let pushes = waitingPushes
            waitingPushes = 0
            state.recordQueue(running: true, waitingPushes: 0)
            let started = clock.now()
            let start = ContinuousClock.now
            let report = await action.run(ref: ref)
            let record = RunRecord(
                report: report, started: started, finished: clock.now(), duration: ContinuousClock.now - start, pushes: pushes)
            state.recordRun(record)
            logRun(record)
        }
        current = nil
        state.recordQueue(running: false, waitingPushes: waitingPushes)
    }

    private func logRun(_ record: RunRecord) {
        var metadata: Logger.Metadata = [
            "result": "\(record.report.result.rawValue)",
            "commit": "\(record.report.commit ?? "-")",
            "duration_ms": "\(record.duration.milliseconds)",
            "pushes": "\(record.pushes)",
            "ref": "\(ref)",
        ]
        for (key, value) in record.report.details { metadata["detail." + key] = "\(value)" }
        let level: Logger.Level = record.report.result == .failed ? .error : .info
        logger.log(level: level, "run: \(record.report.message)", metadata: metadata)
    }

    /// Whether `task` finished within `limit`; returns at the limit even if it did not.
    private static func wait(for task: Task<Void, Never>, atMost limit: Duration) async -> Bool {
        let once = Once()
        return await withCheckedContinuation { continuation in
            let timer = Task {
                try? await Task.sleep(for: limit)
                if !Task.isCancelled, once.claim() { continuation.resume(returning: false) }
            }
            Task {
                await task.value
                if once.claim() { continuation.resume(returning: true) }
                timer.cancel()
            }
        }
    }
}

/// A flag that lets exactly one of several racers through.
private final class Once: @unchecked Sendable {
    private let lock = NSLock()
    private var taken = false

    func claim() -> Bool {
        lock.lock()
        defer { lock.unlock() }
        if taken { return false }
        taken = true
        return true
    }
}

import Foundation
import OverlayServer

/// A push action that records its runs and can be held at a gate, so a test controls
/// when a run ends.
final class RecordingAction: PushAction, @unchecked Sendable {
    private let lock = NSLock()
    private var starts: [ContinuousClock.Instant] = []
    private var finishes = 0
    private var gateOpen: Bool
    private var waiters: [CheckedContinuation<Void, Never>] = []
    private let report: RunReport

    /// `held`: runs wait until ``release()``.
    init(held: Bool = false, report: RunReport = RunReport(result: .applied, commit: "c0ffee", message: "applied c0ffee")) {
        gateOpen = !held
        self.report = report
    }

    func run(ref: String) async -> RunReport {
        locked { starts.append(.now) }
        await withCheckedContinuation { continuation in
            let proceed = locked { () -> Bool in
                if gateOpen { return true }
                waiters.append(continuation)
                return false
            }
            if proceed { continuation.resume() }
        }
        locked { finishes += 1 }
        return report
    }

    /// Lets held runs (and all later ones) go on.
    func release() {
        let waiting = locked { () -> [CheckedContinuation<Void, Never>] in
            gateOpen = true
            defer { waiters = [] }
            return waiters
        }
        waiting.forEach { $0.resume() }
    }

    var startCount: Int { locked { starts.count } }
    var finishCount: Int { locked { finishes } }
    var startTimes: [ContinuousClock.Instant] { locked { starts } }

    private func locked<T>(_ body: () -> T) -> T {
        lock.lock()
        defer { lock.unlock() }
        return body()
    }
}

/// Polls `condition` until it holds or `timeout` passes; returns whether it held.
func eventually(timeout: Duration = .seconds(30), _ condition: () async -> Bool) async -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if await condition() { return true }
        try? await Task.sleep(for: .milliseconds(10))
    }
    return await condition()
}

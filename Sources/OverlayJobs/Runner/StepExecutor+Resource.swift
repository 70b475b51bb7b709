import Foundation
import OverlayCore
import OverlayRuntime

extension StepExecutor {
    /// Runs `body` holding `resource`'s host-wide lock. While another step (of any run of
    /// any playbook) holds it, the step stays `pending` with the reason `waiting for resource
    /// …`; the wait ends with the step's timeout (`timed_out`) or a cancel.
    func withResource(_ resource: String, _ step: JobStep, _ body: () -> StepOutcome) -> StepOutcome {
        let limit = step.timeoutSeconds.map { Duration.seconds($0) } ?? request.settings.defaultTimeout
        let me = "run \(run) of playbook \(request.playbook.name), step \(step.name) (pid \(getpid()))"
        let outcome = ResourceLock.acquire(
            path: request.jobs.resourceLockPath(resource), holder: me, limit: limit, cancellation: cancellation
        ) { holder in
            try? ledger.stepWaiting(run: run, step: step.name, reason: "waiting for resource \(resource)\(Self.heldBy(holder))")
            waiting?(true)
        }
        switch outcome {
        case .acquired(let lock):
            waiting?(false)
            defer { lock.release() }
            return body()
        case .cancelled:
            return StepOutcome(status: .cancelled, reason: "run cancelled")
        case .timedOut(let holder):
            return StepOutcome(
                status: .timedOut,
                reason: "waited \(Self.words(limit)) (its timeout) for resource \(resource)\(Self.heldBy(holder)); it never ran")
        case .failed(let message):
            return StepOutcome(status: .failed, reason: message)
        }
    }

    static func heldBy(_ holder: String?) -> String { holder.map { ", held by \($0)" } ?? "" }
}

import OverlayCore
import OverlayGit
import OverlayRuntime

/// What one pull came to.
public struct PullReport: Sendable {
    /// applied, unchanged, rejected, skipped or failed.
    public var result: PullResult
    /// The ref followed.
    public var ref: String
    /// The commit the ref points at, when the fetch got that far.
    public var commit: CommitInfo?
    /// The host applied for, when known.
    public var host: String?
    /// The generation live afterwards, when known.
    public var generation: Int?
    /// The apply (for `applied`).
    public var apply: HostApplyResult?
    /// Each host's outcome, for a converging pull.
    public var hosts: [HostOutcome]?
    /// Why a commit was rejected (validation, signature, unsafe tree).
    public var diagnostics: [Diagnostic] = []
    /// Why it was skipped, rejected or failed, in one sentence.
    public var reason: String?
    /// The rule id of a refusal that is not a validation diagnostic (`pull.signature`, `pull.tree`).
    public var rejectionRule: String?

    /// True unless the pull failed, a commit was rejected, or its apply reported problems.
    public var ok: Bool {
        switch result {
        case .applied: return (apply?.ok ?? true) && (hosts ?? []).allSatisfy { $0.status == .ok || $0.status == .changed }
        case .unchanged, .skipped: return true
        case .rejected, .failed: return false
        }
    }
}

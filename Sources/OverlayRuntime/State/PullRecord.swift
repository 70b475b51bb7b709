import Foundation
import OverlayCore

/// What `overlay pull` (and so `overlay serve`) remembers between runs, kept in
/// `pull.json` in the state dir: the last attempt, the last applied commit, commits refused
/// by validation (with their diagnostics), and commits the deadman rolled back from, which
/// pull skips until the ref moves on or `overlay deadman reset` clears them (SPEC §3.6).
///
/// A value: load it with `PullRecordStore`, change it, save it, all under the state lock.
public struct PullRecord: Codable, Sendable, Equatable {
    /// The layout version of the file.
    public var version = 1
    /// The latest pull, whatever came of it.
    public var last: PullAttempt?
    /// The latest commit that went live through pull.
    public var applied: AppliedCommit?
    /// Commits refused by validation or signature checks, oldest first, at most `limit`.
    public var rejected: [RejectedCommit] = []
    /// Commits the deadman rolled back from, oldest first, at most `limit`.
    public var bad: [BadCommit] = []

    public init() {}

    /// The bad mark of `commit`, if it has one: pull must skip it.
    public func badMark(for commit: String) -> BadCommit? { bad.last { $0.commit == commit } }

    /// The rejection of `commit`, if it was rejected before.
    public func rejection(of commit: String) -> RejectedCommit? { rejected.last { $0.commit == commit } }

    /// True when `commit` is the one live through pull (a second pull of it is a no-op).
    public func isApplied(_ commit: String) -> Bool { applied?.commit == commit }

    /// Records a pull that made `commit` live as `generation`.
    public mutating func recordApplied(
        commit: String, ref: String, generation: Int?, stateDir: String? = nil, host: String? = nil, at time: Date
    ) {
        let stamp = PullTime.string(time)
        applied = AppliedCommit(commit: commit, ref: ref, time: stamp, generation: generation, stateDir: stateDir, host: host)
        last = PullAttempt(time: stamp, ref: ref, commit: commit, result: .applied, generation: generation)
    }

    /// Records a pull that found `commit` already live.
    public mutating func recordUnchanged(commit: String, ref: String, at time: Date) {
        last = PullAttempt(time: PullTime.string(time), ref: ref, commit: commit, result: .unchanged, generation: applied?.generation)
    }

    /// Records that `commit` was refused, with why; an earlier rejection of it is replaced.
    public mutating func recordRejected(commit: String, ref: String, diagnostics: [PullDiagnostic], at time: Date) {
        let stamp = PullTime.string(time)
        let kept = Array(diagnostics.prefix(Self.diagnosticsLimit))
        rejected.removeAll { $0.commit == commit }
        rejected.append(
            RejectedCommit(commit: commit, ref: ref, time: stamp, diagnostics: kept, omitted: diagnostics.count - kept.count))
        last = PullAttempt(time: stamp, ref: ref, commit: commit, result: .rejected, detail: kept.first?.message)
    }

    /// Records a pull that did not apply `commit` on purpose (a bad mark, say), with why.
    public mutating func recordSkipped(commit: String, ref: String, reason: String, at time: Date) {
        last = PullAttempt(time: PullTime.string(time), ref: ref, commit: commit, result: .skipped, detail: reason)
    }

    /// Records a pull that failed before it knew a commit (a fetch from a remote that is down).
    public mutating func recordFailed(ref: String, commit: String? = nil, reason: String, at time: Date) {
        last = PullAttempt(time: PullTime.string(time), ref: ref, commit: commit, result: .failed, detail: reason)
    }

    /// Marks `commit` bad: the deadman rolled back from `generation`, which it made live.
    public mutating func markBad(commit: String, generation: Int?, reason: String, at time: Date) {
        bad.removeAll { $0.commit == commit }
        bad.append(BadCommit(commit: commit, time: PullTime.string(time), generation: generation, reason: reason))
    }

    /// Clears every bad mark (`overlay deadman reset`); returns the commits that were marked.
    @discardableResult
    public mutating func clearBad() -> [String] {
        defer { bad = [] }
        return bad.map(\.commit)
    }

    /// Keeps the newest `limit` rejected and bad commits.
    public mutating func trim(to limit: Int) {
        if rejected.count > limit { rejected.removeFirst(rejected.count - limit) }
        if bad.count > limit { bad.removeFirst(bad.count - limit) }
    }

    /// At most this many diagnostics are kept for one rejected commit.
    public static let diagnosticsLimit = 100
}

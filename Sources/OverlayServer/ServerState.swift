import Foundation

/// One delivery as `/status` shows it.
struct DeliveryRecord: Sendable {
    let id: String?
    let kind: SenderKind?
    let event: String?
    let time: Date
    let verdict: DeliveryVerdict
}

/// One finished run as `/status` shows it.
struct RunRecord: Sendable {
    let report: RunReport
    let started: Date
    let finished: Date
    let duration: Duration
    /// How many accepted pushes this run answered (more than one when a burst coalesced).
    let pushes: Int
}

/// A commit a run rejected, kept so `/status` can say which commits never went live.
struct RejectedCommit: Sendable {
    let commit: String
    let time: Date
    let message: String
}

/// What the receiver has seen and done, for `/status` and `/metrics`. Updated from
/// request handlers and the runner; read by the two endpoints.
final class ServerState: @unchecked Sendable {
    /// The bucket bounds of the run-duration histogram, in seconds.
    static let durationBuckets: [Double] = [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300]
    /// How many rejected commits `/status` lists.
    static let rejectedKept = 10

    struct Snapshot: Sendable {
        var deliveries: [String: Int] = Dictionary(uniqueKeysWithValues: DeliveryVerdict.labels.map { ($0, 0) })
        var runs: [RunResult: Int] = Dictionary(uniqueKeysWithValues: RunResult.allCases.map { ($0, 0) })
        var lastDelivery: DeliveryRecord?
        var lastRun: RunRecord?
        var lastSuccess: Date?
        var rejected: [RejectedCommit] = []
        var running = false
        var waitingPushes = 0
        var bucketCounts = [Int](repeating: 0, count: ServerState.durationBuckets.count)
        var durationSum = 0.0
        var durationCount = 0
    }

    private let lock = NSLock()
    private var state = Snapshot()

    /// A consistent copy of everything.
    func snapshot() -> Snapshot {
        lock.lock()
        defer { lock.unlock() }
        return state
    }

    func recordDelivery(_ record: DeliveryRecord) {
        update {
            $0.deliveries[record.verdict.label, default: 0] += 1
            $0.lastDelivery = record
        }
    }

    func recordQueue(running: Bool, waitingPushes: Int) {
        update {
            $0.running = running
            $0.waitingPushes = waitingPushes
        }
    }

    func recordRun(_ run: RunRecord) {
        let seconds = run.duration.seconds
        update {
            $0.runs[run.report.result, default: 0] += 1
            $0.lastRun = run
            if run.report.result.isSuccess { $0.lastSuccess = run.finished }
            if run.report.result == .rejected, let commit = run.report.commit {
                $0.rejected.removeAll { $0.commit == commit }
                $0.rejected.insert(RejectedCommit(commit: commit, time: run.finished, message: run.report.message), at: 0)
                $0.rejected = Array($0.rejected.prefix(Self.rejectedKept))
            }
            for (i, bound) in Self.durationBuckets.enumerated() where seconds <= bound { $0.bucketCounts[i] += 1 }
            $0.durationSum += seconds
            $0.durationCount += 1
        }
    }

    private func update(_ change: (inout Snapshot) -> Void) {
        lock.lock()
        change(&state)
        lock.unlock()
    }
}

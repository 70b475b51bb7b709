import Foundation
import OverlayRuntime

/// What a deadman command reads from a state dir before deciding: the live generation and its
/// settings, its switch time, the known-good marks, the record and the stamp.
struct DeadmanSnapshot {
    var stateDir: StateDirectory
    var generation: Generation?
    var switchedAt: Date?
    var knownGood: Set<Int>
    var lastKnownGood: Int?
    var record: DeadmanRecord
    var stamp: StampReading?

    /// Reads `stateDir` (a missing one reads as empty: nothing applied there yet).
    static func read(_ stateDir: StateDirectory) throws(DeadmanError) -> DeadmanSnapshot {
        let store = GenerationStore(state: stateDir)
        let generation: Generation?
        do { generation = try store.current() } catch { throw .state(error) }
        let record: DeadmanRecord
        do { record = try DeadmanRecordStore(state: stateDir).load() } catch { throw .record(error) }
        return DeadmanSnapshot(
            stateDir: stateDir, generation: generation, switchedAt: store.switchTime(), knownGood: store.knownGood(),
            lastKnownGood: store.lastKnownGood(), record: record, stamp: generation?.deadman.map { StampReading.read($0.stamp) })
    }

    var settings: Generation.Deadman? { generation?.deadman }
    var isKnownGood: Bool { generation.map { knownGood.contains($0.number) } ?? false }

    /// The machine's inputs at `now`, or nil when the deadman is off.
    func inputs(now: Date) -> DeadmanInputs? {
        guard let generation, let settings = generation.deadman, let stamp else { return nil }
        return DeadmanInputs(
            settings: settings, stamp: stamp, now: now, generation: generation.number, switchedAt: switchedAt,
            knownGood: isKnownGood, lastKnownGood: lastKnownGood)
    }

    /// The report of a deadman that is off (no generation, or no `deadman:` in it).
    func offReport() -> DeadmanReport {
        let reason =
            generation.map { "generation \($0.number) declares no deadman: nothing to check" }
            ?? "no generation is live in \(stateDir.path): nothing to check"
        return DeadmanReport(
            stateDir: stateDir, state: .off, step: .none, reason: reason, generation: generation?.number, host: generation?.host,
            knownGood: isKnownGood, settings: nil, record: record, previousState: record.lastCheck?.state)
    }

    /// A report of `decision` (the record as decided).
    func report(_ decision: DeadmanDecision, dryRun: Bool) -> DeadmanReport {
        var report = DeadmanReport(
            stateDir: stateDir, state: decision.state, step: decision.step, reason: decision.reason,
            generation: generation?.number, host: generation?.host, knownGood: isKnownGood, settings: settings,
            record: decision.record,
            previousState: record.lastCheck?.state, dryRun: dryRun)
        if let stamp = settings?.stamp, let problem = StampReading.sharedFolderProblem(above: stamp) {
            report.warnings.append(
                "the stamp \(stamp) is not the agent's alone: \(problem), so another user could fake or block the heartbeat; move it under the agent's home or the state dir"
            )
        }
        return report
    }
}

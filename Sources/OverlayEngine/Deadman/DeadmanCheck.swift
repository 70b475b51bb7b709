import Foundation
import OverlayRuntime

/// One `overlay deadman check`: decide under the locks, act, record.
///
/// The deadman lock (`deadman.lock`) is held throughout, so two checks (a slow one and the
/// next cron run, or a manual one) never both act. The state lock is held only while the
/// record, the known-good marks and the bad commits change — not while `restart` runs or the
/// rollback (which takes it itself) switches. The step is counted and recorded before it
/// runs: a check killed halfway cannot let the next one go past the caps.
struct DeadmanCheck {
    var stateDir: StateDirectory
    var engine: Engine
    var lockTimeout: Double

    private var environment: EngineEnvironment { engine.environment }

    func run(dryRun: Bool) throws(DeadmanError) -> DeadmanReport {
        if dryRun || !FileManager.default.fileExists(atPath: stateDir.path) {
            let snapshot = try DeadmanSnapshot.read(stateDir)
            guard let inputs = snapshot.inputs(now: environment.clock.now()) else { return snapshot.offReport() }
            var report = snapshot.report(DeadmanMachine.decide(inputs, record: snapshot.record), dryRun: dryRun)
            if dryRun { report.record = snapshot.record }
            return report
        }
        let lock: StateLock
        do { lock = try StateLock.acquire(file: stateDir.deadmanLockPath, timeout: lockTimeout) } catch { throw .from(error) }
        defer { lock.release() }
        guard var run = try decide() else { return try DeadmanSnapshot.read(stateDir).offReport() }
        act(&run)
        try finish(&run)
        return run.report
    }

    /// One check while it runs: the report it builds and the commit it marked bad.
    struct Run {
        var report: DeadmanReport
        var markedBad: String?
        /// How many actions this check has logged (the last ones of the history).
        var logged = 0

        /// Logs an action of this check.
        mutating func log(_ event: DeadmanEvent) {
            report.record.log(event)
            logged += 1
        }
    }

    /// Decides under the state lock, sets a known-good mark or a bad commit, and saves the
    /// record; nil when the deadman is off.
    private func decide() throws(DeadmanError) -> Run? {
        let lock: StateLock
        do { lock = try StateLock.acquire(stateDir, timeout: lockTimeout) } catch { throw .from(error) }
        defer { lock.release() }
        let snapshot = try DeadmanSnapshot.read(stateDir)
        guard let inputs = snapshot.inputs(now: environment.clock.now()) else { return nil }
        var run = Run(report: snapshot.report(DeadmanMachine.decide(inputs, record: snapshot.record), dryRun: false))
        run.logged = run.report.step == .none ? 0 : 1
        switch run.report.step {
        case .markKnownGood(let number), .endEpisode(markKnownGood: let number?):
            do {
                try GenerationStore(state: stateDir).setKnownGood(number)
                settle("ok", &run)
            } catch {
                settle("failed: \(error)", &run)
                run.report.problems.append("generation \(number) could not be marked known-good: \(error)")
            }
        case .endEpisode(markKnownGood: nil):
            settle("ok", &run)
        case .rollback(let from, let to):
            // Marked before the switch, so that no pull can re-apply the commit in between.
            run.markedBad = markBad(from: from, to: to, &run)
        default:
            break
        }
        do { try DeadmanRecordStore(state: stateDir).save(run.report.record) } catch { throw .record(error) }
        return run
    }

    /// Runs the decided step's commands and the rollback, recording each result.
    private func act(_ run: inout Run) {
        let runner = DeadmanCommandRunner(state: stateDir, environment: environment.variables)
        switch run.report.step {
        case .restart:
            settle(restart(runner, run.report, generation: run.report.generation), &run)
        case .rollback(let from, let to):
            rollBack(from: from, to: to, runner: runner, &run)
        case .giveUp:
            settle(alert(runner, run.report), &run)
        default:
            break
        }
    }

    /// Saves the record with the results, and takes back a bad mark whose rollback failed.
    private func finish(_ run: inout Run) throws(DeadmanError) {
        guard run.logged > 0 else { return }
        let lock: StateLock
        do { lock = try StateLock.acquire(stateDir, timeout: lockTimeout) } catch {
            run.report.problems.append("the results were not recorded: \(error)")
            return
        }
        defer { lock.release() }
        if let commit = run.markedBad, run.report.record.episode?.rollback?.succeeded != true {
            do { try PullRecordStore(state: stateDir).update { $0.bad.removeAll { $0.commit == commit } } } catch {
                run.report.problems.append("the bad mark of \(commit) could not be taken back: \(error)")
            }
        }
        do { try DeadmanRecordStore(state: stateDir).save(run.report.record) } catch {
            run.report.problems.append("the results were not recorded: \(error)")
        }
        let store = GenerationStore(state: stateDir)
        run.report.generation = store.currentNumber()
        run.report.knownGood = run.report.generation.map { store.knownGood().contains($0) } ?? false
        run.report.actions = Array(run.report.record.history.suffix(run.logged))
    }

    /// Sets the result of the check's latest action.
    func settle(_ result: String, _ run: inout Run) {
        guard let last = run.report.record.history.indices.last else { return }
        run.report.record.history[last].result = result
    }
}

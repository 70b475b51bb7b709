import Foundation
import OverlayCore
import OverlayRuntime

extension Engine {
    /// `overlay deadman check`: reads the live generation's settings and the stamp, and takes
    /// this check's step of the deadman switch (SPEC §3.6). A dry run changes nothing: no lock,
    /// no record, no mark, no process.
    public func deadmanCheck(
        stateDir: StateDirectory, dryRun: Bool = false, lockTimeout: Double = 60
    ) throws(DeadmanError)
        -> DeadmanReport
    {
        try DeadmanCheck(stateDir: stateDir, engine: self, lockTimeout: lockTimeout).run(dryRun: dryRun)
    }

    /// `overlay deadman status`: the agent's state now, the open episode and the last ones, without acting.
    public func deadmanStatus(stateDir: StateDirectory) throws(DeadmanError) -> DeadmanReport {
        let snapshot = try DeadmanSnapshot.read(stateDir)
        guard let inputs = snapshot.inputs(now: environment.clock.now()) else { return snapshot.offReport() }
        var report = snapshot.report(DeadmanMachine.decide(inputs, record: snapshot.record), dryRun: false)
        (report.state, report.reason) = DeadmanMachine.assess(inputs, record: snapshot.record)
        report.step = .none
        report.record = snapshot.record
        return report
    }

    /// `overlay deadman reset`: ends the open episode, clears `deadman_active` and the bad marks
    /// of commits the deadman rolled back from. An unreadable record is set aside first.
    public func deadmanReset(stateDir: StateDirectory, lockTimeout: Double = 60) throws(DeadmanError) -> DeadmanResetResult {
        // Nothing was ever applied there: nothing to reset (and no state dir to create).
        guard FileManager.default.fileExists(atPath: stateDir.path) else { return DeadmanResetResult() }
        let outer: StateLock
        let inner: StateLock
        do {
            outer = try StateLock.acquire(file: stateDir.deadmanLockPath, timeout: lockTimeout)
            inner = try StateLock.acquire(stateDir, timeout: lockTimeout)
        } catch { throw .from(error) }
        defer {
            inner.release()
            outer.release()
        }
        let now = environment.clock.now()
        let records = DeadmanRecordStore(state: stateDir)
        var result = DeadmanResetResult()
        var record: DeadmanRecord
        do { record = try records.load() } catch {
            guard case .corrupt = error else { throw .record(error) }
            do { result.setAside = try records.setAside(at: now) } catch { throw .record(error) }
            record = DeadmanRecord()
        }
        result.endedEpisode = record.episode?.number
        result.wasActive = record.active
        result.generation = GenerationStore(state: stateDir).currentNumber()
        record = DeadmanMachine.reset(record, at: now, generation: result.generation)
        do { try records.save(record) } catch { throw .record(error) }
        do { try PullRecordStore(state: stateDir).update { result.clearedCommits = $0.clearBad() } } catch {
            result.problems.append("the bad commits could not be cleared: \(error)")
        }
        result.record = record
        return result
    }

    /// `overlay deadman install`: puts the live generation's check into its crontab block (with
    /// this binary and this state dir), or takes it out when the generation declares none.
    public func deadmanInstall(stateDir: StateDirectory, lockTimeout: Double = 60) throws(DeadmanError) -> DeadmanInstallResult {
        guard FileManager.default.fileExists(atPath: stateDir.path) else {
            throw .install("no generation is live in \(stateDir.path); run 'overlay apply' first")
        }
        let lock: StateLock
        do { lock = try StateLock.acquire(stateDir, timeout: lockTimeout) } catch { throw .from(error) }
        defer { lock.release() }
        let current: Generation?
        do { current = try GenerationStore(state: stateDir).current() } catch { throw .state(error) }
        guard let live = current else { throw .install("no generation is live in \(stateDir.path); run 'overlay apply' first") }
        guard let cron = live.cron else {
            throw .install(
                "generation \(live.number) does not record its crontab (built by an older overlay); run 'overlay apply' to build one that does"
            )
        }
        var jobs = cron.renderedJobs.filter { $0.name != RenderedDeadman.checkJobName }
        if let settings = live.deadman {
            do { jobs.append(try DeadmanCronJob.make(settings.rendered, stateDir: stateDir, executable: environment.executablePath)) } catch
            {
                throw .install(error.description)
            }
        }
        let step: CrontabStep
        do { step = try CrontabStep(target: try CrontabTarget(parsing: cron.target), host: live.host, jobs: jobs) } catch {
            throw .install("\(error)")
        }
        let line = (try? step.crontab.declaredBlock(jobs: jobs, host: live.host))?.entries.first {
            $0.name == RenderedDeadman.checkJobName
        }?.line
        return DeadmanInstallResult(
            generation: live.number, installed: live.deadman != nil, line: line, cron: step.run(dryRun: false))
    }

    /// `overlay heartbeat`: writes the stamp (`stamp`, else the live generation's in `stateDir`)
    /// as of now; returns its path.
    public func heartbeat(stamp: String?, stateDir: StateDirectory?) throws(DeadmanError) -> String {
        let path: String
        if let stamp {
            path = HomePath.expandTilde(stamp, home: environment.home, relativeTo: FileManager.default.currentDirectoryPath)
        } else {
            guard let stateDir else { throw .noStamp(stateDir: "this host") }
            let live: Generation?
            do { live = try GenerationStore(state: stateDir).current() } catch { throw .state(error) }
            guard let settings = live?.deadman else { throw .noStamp(stateDir: stateDir.path) }
            path = settings.stamp
        }
        do { try Heartbeat.write(stamp: path, at: environment.clock.now()) } catch { throw .heartbeat(error) }
        return path
    }
}

/// What `overlay deadman reset` did.
public struct DeadmanResetResult: Sendable {
    /// The episode it ended, if one was open.
    public var endedEpisode: Int?
    /// True when the deadman had given up.
    public var wasActive = false
    /// The live generation.
    public var generation: Int?
    /// The commits whose bad mark it cleared.
    public var clearedCommits: [String] = []
    /// Where an unreadable record was moved.
    public var setAside: String?
    /// The record afterwards.
    public var record = DeadmanRecord()
    /// What could not be done.
    public var problems: [String] = []

    /// True when nothing failed.
    public var ok: Bool { problems.isEmpty }
}

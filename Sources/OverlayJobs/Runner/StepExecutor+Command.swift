import Foundation
import OverlayCore
import OverlayRuntime

extension StepExecutor {
    /// Runs a `run:` step: each attempt a `ChildProcess` (`/bin/sh -c`, own session and
    /// process group, time limit → SIGTERM, grace, SIGKILL of the group) with its output
    /// appended to the step's log; failed or timed-out attempts are retried with backoff.
    func runCommand(_ command: String, _ step: JobStep) -> StepOutcome {
        let log = request.jobs.logPath(run: run, step: step.name)
        do {
            try FileManager.default.createDirectory(
                atPath: (log as NSString).deletingLastPathComponent, withIntermediateDirectories: true,
                attributes: [.posixPermissions: 0o700])
            try FileManager.default.createDirectory(atPath: workdir, withIntermediateDirectories: true)
        } catch {
            record(started: step, log: log)
            return StepOutcome(status: .failed, reason: "cannot prepare the step: \(error.localizedDescription)")
        }
        let timeout = step.timeoutSeconds.map { Duration.seconds($0) } ?? request.settings.defaultTimeout
        var delay = step.backoffSeconds.map { Duration.seconds($0) } ?? request.settings.backoff
        let attempts = step.retries + 1
        var outcome = StepOutcome(status: .failed)
        for attempt in 1...attempts {
            if cancellation.isCancelled { return StepOutcome(status: .cancelled, reason: "run cancelled") }
            record(started: step, log: log)
            appendHeader(log, "attempt \(attempt) of \(attempts): \(command)")
            outcome = attemptOnce(command, step, attempt: attempt, timeout: timeout, log: log)
            guard outcome.status == .failed || outcome.status == .timedOut, attempt < attempts else { break }
            appendHeader(log, "\(outcome.reason ?? "failed"); retrying in \(Self.words(delay))")
            if waitOrCancel(delay) { return StepOutcome(status: .cancelled, exitCode: outcome.exitCode, reason: "run cancelled") }
            delay = min(delay * 2, request.settings.maxBackoff)
        }
        return outcome
    }

    private func attemptOnce(_ command: String, _ step: JobStep, attempt: Int, timeout: Duration, log: String) -> StepOutcome {
        var child = ChildProcess.shell(command, environment: environment(step, attempt: attempt))
        child.workingDirectory = workdir
        child.mergeErrors = true
        child.appendOutputTo = log
        child.outputLimit = 0
        child.timeout = timeout
        child.killGrace = request.settings.killGrace
        child.cancellation = cancellation
        let ledger = self.ledger
        let run = self.run
        child.onStart = { pid in
            if let process = ProcessIdentity.of(pid) { try? ledger.stepProcess(run: run, step: step.name, process: process) }
        }
        let result: ChildResult
        do { result = try child.run() } catch {
            return StepOutcome(status: .failed, reason: "cannot start the step: \(error.description)")
        }
        if result.cancelled { return StepOutcome(status: .cancelled, exitCode: result.status, reason: "run cancelled") }
        if result.timedOut {
            return StepOutcome(
                status: .timedOut, exitCode: result.status,
                reason:
                    "timed out after \(Self.words(timeout)): its process group got SIGTERM, then SIGKILL after \(Self.words(request.settings.killGrace))"
            )
        }
        guard result.status == 0 else {
            let how = result.status > 128 ? "killed by signal \(result.status - 128)" : "exit \(result.status)"
            return StepOutcome(status: .failed, exitCode: result.status, reason: "\(how); see overlay jobs log \(run) \(step.name)")
        }
        if let missing = step.outputs.first(where: { !FileManager.default.fileExists(atPath: WorkPath.resolve($0, in: workdir)) }) {
            return StepOutcome(status: .failed, exitCode: 0, reason: "exited 0 but did not write its declared output \(missing)")
        }
        guard let metricsFile = step.metrics else { return StepOutcome(status: .done, exitCode: 0) }
        do {
            guard let metrics = try MetricSet.load(path: WorkPath.resolve(metricsFile, in: workdir), shown: metricsFile) else {
                return StepOutcome(status: .failed, exitCode: 0, reason: "exited 0 but did not write its declared metrics \(metricsFile)")
            }
            return StepOutcome(status: .done, exitCode: 0, metrics: JSONWriter.string(metrics.json))
        } catch {
            return StepOutcome(status: .failed, exitCode: 0, reason: error.description)
        }
    }

    /// The step's environment: ours without overlay's secrets (`OVERLAY_SECRET_*`: a step that
    /// prints its environment would write them into its log), the run's identity, then the
    /// step's own `env:`.
    func environment(_ step: JobStep, attempt: Int) -> [String: String] {
        var env = request.environment.filter { !$0.key.hasPrefix("OVERLAY_SECRET_") }
        env["OVERLAY_RUN_ID"] = String(run)
        env["OVERLAY_STEP"] = step.name
        env["OVERLAY_ATTEMPT"] = String(attempt)
        env["OVERLAY_PLAYBOOK_DIR"] = (request.playbookPath as NSString).deletingLastPathComponent
        env["OVERLAY_WORKDIR"] = workdir
        if let host = request.host { env["OVERLAY_HOST"] = host }
        for variable in step.env { env[variable.name] = variable.value }
        return env
    }

    /// Sleeps `delay`, waking early when the run is cancelled; true when it was.
    func waitOrCancel(_ delay: Duration) -> Bool {
        let end = ContinuousClock.now + delay
        while ContinuousClock.now < end {
            if cancellation.isCancelled { return true }
            Thread.sleep(forTimeInterval: min(0.05, Self.seconds(end - ContinuousClock.now)))
        }
        return cancellation.isCancelled
    }

    func appendHeader(_ log: String, _ text: String) {
        let line = "== overlay \(UTCTimestamp.string(clock.now())): \(text)\n"
        guard let handle = FileHandle(forWritingAtPath: log) ?? Self.create(log) else { return }
        defer { try? handle.close() }
        _ = try? handle.seekToEnd()
        try? handle.write(contentsOf: Data(line.utf8))
    }

    static func create(_ path: String) -> FileHandle? {
        _ = FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600])
        return FileHandle(forWritingAtPath: path)
    }

    static func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }

    /// `90 s`, `1.5 s`, `10 min`, `4 h`.
    static func words(_ d: Duration) -> String {
        let s = seconds(d)
        if s >= 3600, s.truncatingRemainder(dividingBy: 3600) == 0 { return "\(Int(s / 3600)) h" }
        if s >= 60, s.truncatingRemainder(dividingBy: 60) == 0 { return "\(Int(s / 60)) min" }
        return s == s.rounded() ? "\(Int(s)) s" : String(format: "%.1f s", s)
    }
}

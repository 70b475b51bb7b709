import Foundation
import OverlayCore
import OverlayEngine
import OverlayRuntime
import TestSupport
import Testing

/// overlay and the real harness writing one `jobs.json` at the same time: overlay takes the
/// harness's `.jobs.lock`, so neither loses the other's change.
@Suite(.serialized) struct HarnessAgentJobsConcurrencyTests {
    /// A Python process that takes the harness's lock the way its `_jobs_lock` does, says so
    /// on stdout, holds it for `seconds`, then releases it.
    static let holdLock = """
        import fcntl, sys, time
        fd = open(sys.argv[1], "a+")
        fcntl.flock(fd, fcntl.LOCK_EX)
        print("held", flush=True)
        time.sleep(float(sys.argv[2]))
        """

    /// Starts the lock holder and returns once it holds the lock.
    static func holdLock(_ s: HarnessAgentJobsTests.Setup, seconds: Double) throws -> Process {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: s.harness.python)
        p.arguments = ["-c", holdLock, s.home + "/cron/.jobs.lock", String(seconds)]
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        let first = out.fileHandleForReading.availableData
        #expect(String(decoding: first, as: UTF8.self).hasPrefix("held"))
        return p
    }

    func engine(_ s: HarnessAgentJobsTests.Setup, lockTimeout: Double) -> Engine {
        var variables = s.fleet.fleet.engine.environment.variables
        variables["OVERLAY_AGENT_JOBS_LOCK_TIMEOUT"] = String(lockTimeout)
        return Engine(environment: EngineEnvironment(variables: variables, hostName: "t", clock: SystemClock()))
    }

    @Test func anApplyWaitsForTheHarnessLockThenSucceeds() throws {
        let s = try HarnessAgentJobsTests.setup()
        defer { s.cleanup() }
        #expect(try s.hermes(["cron", "create", "every 2h", "hand job", "--name", "hand"]).status == 0)
        let holder = try Self.holdLock(s, seconds: 1.5)
        let started = Date()
        let result = try s.fleet.apply(engine: engine(s, lockTimeout: 20))
        let waited = Date().timeIntervalSince(started)
        holder.waitUntilExit()
        #expect(result.ok, "\(result.problems)")
        #expect(waited >= 1.0, "the apply did not wait for the harness's lock (\(waited) s)")
        #expect(try s.fleet.jobs().count == 3)
    }

    @Test func anApplyThatCannotGetTheLockFailsCleanlyWithTheOldFileIntact() throws {
        let s = try HarnessAgentJobsTests.setup()
        defer { s.cleanup() }
        #expect(try s.hermes(["cron", "create", "every 2h", "hand job", "--name", "hand"]).status == 0)
        let before = try Data(contentsOf: URL(fileURLWithPath: s.fleet.jobsFile(s.fleet.host)))
        let holder = try Self.holdLock(s, seconds: 6)
        defer { holder.terminate() }
        let result = try s.fleet.apply(engine: engine(s, lockTimeout: 1))
        #expect(!result.ok)
        let error = try #require(result.agentJobs?.error)
        #expect(error.contains(".jobs.lock") && error.contains("left as it was"), "\(error)")
        #expect(result.report.switched, "the files switched; only the jobs step failed")
        #expect(try Data(contentsOf: URL(fileURLWithPath: s.fleet.jobsFile(s.fleet.host))) == before)
        let tmp = try FileManager.default.contentsOfDirectory(atPath: s.home + "/cron").filter { $0.contains("tmp") }
        #expect(tmp.isEmpty, "no temporary file is left: \(tmp)")
        holder.terminate()
        holder.waitUntilExit()
        // The next apply, with the harness idle, installs them.
        let retried = try s.fleet.apply(engine: engine(s, lockTimeout: 5))
        #expect(retried.ok && retried.agentJobs?.change?.names(.added) == ["daily-report", "disk-report"])
    }

    /// 200 applies (each rewriting one job) race 200 pause/resume calls through the harness's
    /// own Python API on two hand-made jobs and one of overlay's: no job and no pause is lost.
    @Test func twoHundredAppliesRacingTwoHundredPausesLoseNothing() throws {
        let s = try HarnessAgentJobsTests.setup()
        defer { s.cleanup() }
        for name in ["hand-a", "hand-b"] {
            #expect(try s.hermes(["cron", "create", "every 2h", "hand job \(name)", "--name", name]).status == 0)
        }
        let first = try s.fleet.apply()
        #expect(first.ok)
        let ids = try ["hand-a", "hand-b", "disk-report"].map { try #require(try s.fleet.job(named: $0)?["id"] as? String) }
        // Two targets that differ only in daily-report's prompt: every apply writes the file.
        let engine = s.fleet.fleet.engine
        let a = try engine.load(.repo(s.fleet.fleet.source), host: s.fleet.host)
        try s.fleet.fleet.write("cron/agent-jobs.yaml", AgentJobsFleet.defaultJobs.replacingOccurrences(of: "Summarise", with: "Summarize"))
        let b = try engine.load(.repo(s.fleet.fleet.source), host: s.fleet.host)
        let script = """
            import sys
            from cron.jobs import pause_job, resume_job
            ids = sys.argv[1:]
            for i in range(200):
                jid = ids[i % len(ids)]
                job = pause_job(jid) if (i // len(ids)) % 2 == 0 else resume_job(jid)
                if job is None:
                    print("lost", jid, flush=True)
                    sys.exit(3)
            print("done", flush=True)
            """
        let racer = Process()
        racer.executableURL = URL(fileURLWithPath: s.harness.python)
        racer.arguments = ["-c", script] + ids
        racer.environment = s.harness.environment(home: s.home, scratchHome: s.scratch)
        let out = Pipe()
        racer.standardOutput = out
        racer.standardError = out
        try racer.run()
        var failures: [String] = []
        var overlapped = 0
        for i in 0..<200 {
            let result = try engine.apply(i % 2 == 0 ? b : a, options: ApplyOptions())
            if !result.ok { failures.append(result.problems.joined(separator: "; ")) }
            if racer.isRunning { overlapped += 1 }
        }
        racer.waitUntilExit()
        let said = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(racer.terminationStatus == 0, "the harness lost a job: \(said)")
        #expect(failures.isEmpty, "\(failures.prefix(3))")
        #expect(overlapped >= 5, "the harness's calls ran alongside \(overlapped) applies only")
        let jobs = try s.fleet.jobs()
        #expect(jobs.count == 4, "every job is still there: \(jobs.map { $0["name"] ?? "?" })")
        for (k, id) in ids.enumerated() {
            // The last call for job k was at the largest i ≡ k (mod 3) below 200.
            let last = stride(from: k, to: 200, by: ids.count).reversed().first ?? k
            let paused = (last / ids.count) % 2 == 0
            let job = jobs.first { $0["id"] as? String == id }
            #expect((job?["enabled"] as? Bool) == !paused, "job \(id) lost its \(paused ? "pause" : "resume")")
        }
        #expect(try s.fleet.job(named: "daily-report")?["prompt"] as? String == "Summarise yesterday's work on h0001.")
    }
}

import Foundation
import Testing

/// `overlay jobs` as separate processes: a runner killed with SIGKILL and resumed, two runs of
/// one playbook at once, a cancel from another process, Ctrl-C, the dry run.
@Suite struct JobsRunnerProcessTests {
    @Test func aRunnerKilledWithSIGKILLIsResumedRerunningOnlyUnfinishedSteps() throws {
        // `slow` sleeps on its first run only; every step counts its runs in a file.
        let repo = try JobsRepo(
            playbook: """
                name: test
                jobs:
                  first: {run: 'echo run >> first.count'}
                  slow: {needs: [first], run: 'echo run >> slow.count; if [ ! -f resumed ]; then touch resumed; echo $$ > slow.pid; exec sleep 600; fi'}
                  last: {needs: [slow], run: 'echo run >> last.count'}
                """)
        defer { repo.remove() }
        let runner = try repo.start()
        #expect(waitFor { repo.read("slow.pid") != nil })
        let orphan = try #require(Int32((repo.read("slow.pid") ?? "").trimmingCharacters(in: .whitespacesAndNewlines)))
        defer { if processIsAlive(orphan) { kill(orphan, SIGKILL) } }
        kill(runner.processIdentifier, SIGKILL)
        runner.waitUntilExit()
        #expect(processIsAlive(orphan), "the step runs in its own session: it outlives its runner")

        let interrupted = try repo.status()
        #expect(interrupted["status"] as? String == "interrupted", "\(interrupted)")
        #expect(try repo.stepStatus("slow") == "running")

        let resumed = try repo.jobs(["resume", "1", "--format", "json"])
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(resumed.json["status"] as? String == "done")
        #expect(waitFor(10) { !processIsAlive(orphan) }, "resume must end the dead runner's leftover step")
        #expect(repo.read("first.count") == "run\n", "a done step is not rerun")
        #expect(repo.read("slow.count") == "run\nrun\n")
        #expect(repo.read("last.count") == "run\n")
        let steps = try #require(resumed.json["steps"] as? [String: Any])
        #expect((steps["slow"] as? [String: Any])?["attempts"] as? Int == 2)
    }

    @Test func aSecondRunOfThePlaybookIsRefusedWith75OrWaitsForTheLock() throws {
        let repo = try JobsRepo(playbook: "name: test\njobs:\n  hold: {run: 'touch holding; sleep 5'}\n")
        defer { repo.remove() }
        let first = try repo.start()
        #expect(waitFor { repo.read("holding") != nil })
        let refused = try repo.jobs(["run", "playbooks/test.yaml"])
        #expect(refused.status == 75, "\(refused.stderr)")
        #expect(refused.stderr.contains("another run of playbook 'test' is in progress (run 1)"), "\(refused.stderr)")
        let waited = try repo.jobs(["run", "playbooks/test.yaml", "--lock-timeout", "60", "--format", "json"])
        #expect(waited.status == 0, "\(waited.stderr)")
        #expect(waited.json["run"] as? Int == 2)
        first.waitUntilExit()
        #expect(first.terminationStatus == 0)
        let runs = try repo.jobs(["list", "--format", "json"]).json["runs"] as? [[String: Any]] ?? []
        #expect(runs.count == 2, "the refused run is not recorded: \(runs)")
    }

    @Test func cancelFromAnotherProcessEndsTheRunningStep() throws {
        let repo = try JobsRepo(
            playbook: "name: test\njobs:\n  slow: {run: 'echo $$ > slow.pid; exec sleep 600'}\n  after: {needs: [slow], run: 'true'}\n")
        defer { repo.remove() }
        let runner = try repo.start()
        defer { if runner.isRunning { kill(runner.processIdentifier, SIGKILL) } }
        #expect(waitFor { repo.read("slow.pid") != nil })
        let pid = try #require(Int32((repo.read("slow.pid") ?? "").trimmingCharacters(in: .whitespacesAndNewlines)))
        defer { if processIsAlive(pid) { kill(pid, SIGKILL) } }
        let cancel = try repo.jobs(["cancel", "1", "--format", "json"])
        #expect(cancel.status == 0, "\(cancel.stderr)")
        #expect(cancel.json["status"] as? String == "cancelled")
        runner.waitUntilExit()
        #expect(runner.terminationStatus == 1)
        #expect(!processIsAlive(pid))
        #expect(try repo.stepStatus("slow") == "cancelled" && repo.stepStatus("after") == "cancelled")
        let again = try repo.jobs(["cancel", "1"])
        #expect(again.status == 1 && again.stderr.contains("already finished (cancelled)"))
    }

    @Test func anInterruptCancelsTheRunInsteadOfOrphaningItsSteps() throws {
        let repo = try JobsRepo(playbook: "name: test\njobs:\n  slow: {run: 'echo $$ > slow.pid; exec sleep 600'}\n")
        defer { repo.remove() }
        let runner = try repo.start()
        #expect(waitFor { repo.read("slow.pid") != nil })
        let pid = try #require(Int32((repo.read("slow.pid") ?? "").trimmingCharacters(in: .whitespacesAndNewlines)))
        defer { if processIsAlive(pid) { kill(pid, SIGKILL) } }
        kill(runner.processIdentifier, SIGINT)
        runner.waitUntilExit()
        #expect(runner.terminationStatus == 1)
        #expect(!processIsAlive(pid))
        #expect(try repo.status()["status"] as? String == "cancelled")
    }

    @Test func theDryRunShowsThePlanAndRunsNothing() throws {
        let repo = try JobsRepo(
            playbook: """
                name: test
                jobs:
                  a: {run: 'touch ran'}
                  b: {needs: [a], when: {min_examples: 10, dataset: data.jsonl}, run: 'true'}
                  c: {run: 'true'}
                """)
        defer { repo.remove() }
        let plan = try repo.jobs(["run", "playbooks/test.yaml", "--dry-run"])
        #expect(plan.status == 0, "\(plan.stderr)")
        #expect(plan.stdout.contains("1. a") && plan.stdout.contains("1. c") && plan.stdout.contains("2. b (after a)"), "\(plan.stdout)")
        #expect(plan.stdout.contains("when: not met now — data.jsonl does not exist (needs 10 examples)"), "\(plan.stdout)")
        #expect(!FileManager.default.fileExists(atPath: repo.state + "/jobs/ledger.sqlite3"), "a dry run records nothing")
        #expect(repo.read("ran") == nil)
    }

    @Test func runJSONHasTheSPECShapeAndAFailedStepExitsOne() throws {
        let repo = try JobsRepo(playbook: "name: test\njobs:\n  ok: {run: 'true'}\n  bad: {run: 'exit 5', retries: 1, backoff: 0}\n")
        defer { repo.remove() }
        let r = try repo.jobs(["run", "playbooks/test.yaml", "--format", "json"])
        #expect(r.status == 1)
        #expect(r.json["ok"] as? Bool == false && r.json["run"] as? Int == 1 && r.json["status"] as? String == "failed")
        let bad = (r.json["steps"] as? [String: Any])?["bad"] as? [String: Any]
        #expect(bad?["status"] as? String == "failed" && bad?["exit_code"] as? Int == 5 && bad?["attempts"] as? Int == 2)
        #expect(r.json.keys.contains("gate"))
        let log = try repo.jobs(["log", "1", "bad"])
        #expect(log.stdout.contains("attempt 1 of 2") && log.stdout.contains("attempt 2 of 2"), "\(log.stdout)")
        let missing = try repo.jobs(["log", "1", "bda"])
        #expect(missing.status == 1 && missing.stderr.contains("did you mean 'bad'"), "\(missing.stderr)")
    }

    @Test func progressIsDrawnOnATerminalOnly() throws {
        let repo = try JobsRepo(playbook: "name: test\njobs:\n  a: {run: 'sleep 1'}\n  b: {needs: [a], run: 'sleep 0.5'}\n")
        defer { repo.remove() }
        let piped = try repo.jobs(["run", "playbooks/test.yaml"])
        #expect(piped.status == 0 && !piped.stderr.contains("steps done"), "\(piped.stderr)")
        // script(1) gives the runner a pseudo-terminal, as an interactive shell would.
        let command = "\(PackagePaths.binary.path) jobs run playbooks/test.yaml --root \(repo.root.path)"
        let tty = try runProcess("/usr/bin/script", ["-qec", command, "/dev/null"], env: repo.env)
        #expect(tty.status == 0, "\(tty.stdout)")
        #expect(tty.stdout.contains("run 2: 0/2 steps done, running: a"), "\(tty.stdout)")
        #expect(tty.stdout.contains("\r\u{1B}[K"), "the line is redrawn in place")
    }

    /// `train` builds a candidate scored by the `score` file; `settle` hangs while `hang` exists.
    static let gatedPlaybook = """
        name: test
        jobs:
          train: {run: 'rm -rf work/adapter; mkdir -p work/adapter; cp score work/adapter/model; printf "{\\"score\\": %s}" $(cat score) > work/adapter/metrics.json; cp work/adapter/metrics.json work/candidate.json'}
          gate: {needs: [train], gate: {policy: no_regression, candidate: work/candidate.json, baseline: registry/current/metrics.json}}
          settle: {needs: [gate], run: 'if [ -f hang ]; then touch settling; exec sleep 600; fi'}
          promote: {needs: [settle], promote: {from: work/adapter, to: registry/current}}
        """

    /// Starts a run with `score`, waits until it hangs in `settle` (its gate accepted), SIGKILLs it.
    func killedAfterItsGate(_ repo: JobsRepo, score: String) throws {
        try FileManager.default.createDirectory(atPath: repo.workdir, withIntermediateDirectories: true)
        try score.write(toFile: repo.workdir + "/score", atomically: true, encoding: .utf8)
        FileManager.default.createFile(atPath: repo.workdir + "/hang", contents: nil)
        try? FileManager.default.removeItem(atPath: repo.workdir + "/settling")
        let runner = try repo.start()
        #expect(waitFor { repo.read("settling") != nil })
        kill(runner.processIdentifier, SIGKILL)
        runner.waitUntilExit()
        try FileManager.default.removeItem(atPath: repo.workdir + "/hang")
    }

    @Test func aResumeDecidesItsGateAgainWhenAnotherRunReplacedTheCandidate() throws {
        let repo = try JobsRepo(playbook: Self.gatedPlaybook)
        defer { repo.remove() }
        try FileManager.default.createDirectory(atPath: repo.workdir, withIntermediateDirectories: true)
        try "0.5".write(toFile: repo.workdir + "/score", atomically: true, encoding: .utf8)
        #expect(try repo.jobs(["run", "playbooks/test.yaml"]).status == 0, "run 1 promotes the first candidate (0.5)")
        try killedAfterItsGate(repo, score: "0.9")
        #expect(try repo.status(2)["gate"].flatMap { ($0 as? [String: Any])?["accepted"] as? Bool } == true)
        // Run 3 builds a worse candidate in the shared workspace; its gate rejects it.
        try "0.1".write(toFile: repo.workdir + "/score", atomically: true, encoding: .utf8)
        #expect(try repo.jobs(["run", "playbooks/test.yaml"]).status == 1)
        #expect(repo.read("registry/current/model") == "0.5")

        // Run 2's verdict was about 0.9, which is gone: resuming it must not promote 0.1.
        let resumed = try repo.jobs(["resume", "2", "--format", "json"])
        #expect(resumed.status == 1, "\(resumed.stdout)")
        #expect(repo.read("registry/current/model") == "0.5", "resume promoted a candidate its gate rejected")
        let gate = try #require(resumed.json["gate"] as? [String: Any])
        #expect(gate["accepted"] as? Bool == false)
        let reason = gate["reason"] as? String ?? ""
        #expect(reason.contains("decided again on resume: work/adapter, work/candidate.json changed since it decided"), "\(reason)")
        let steps = try #require(resumed.json["steps"] as? [String: Any])
        #expect((steps["promote"] as? [String: Any])?["status"] as? String == "skipped")
        #expect((steps["gate"] as? [String: Any])?["attempts"] as? Int == 2)
    }

    @Test func aResumeKeepsItsGateWhenNothingItDecidedOnChanged() throws {
        let repo = try JobsRepo(playbook: Self.gatedPlaybook)
        defer { repo.remove() }
        try killedAfterItsGate(repo, score: "0.7")
        let resumed = try repo.jobs(["resume", "1", "--format", "json"])
        #expect(resumed.status == 0, "\(resumed.stdout)")
        #expect(repo.read("registry/current/model") == "0.7")
        let steps = try #require(resumed.json["steps"] as? [String: Any])
        #expect((steps["gate"] as? [String: Any])?["attempts"] as? Int == 1, "an unchanged candidate keeps its verdict")
    }

    @Test func logStreamsAHugeLogAndJSONHoldsItsLastMebibyte() throws {
        // 64 MiB of output: reading it whole would show in the reader's memory.
        let repo = try JobsRepo(
            playbook: "name: test\njobs:\n  noisy: {run: 'head -c 67108864 /dev/zero | tr \"\\\\0\" x; printf \"\\\\nthe-end\\\\n\"'}\n")
        defer { repo.remove() }
        #expect(try repo.jobs(["run", "playbooks/test.yaml"]).status == 0)
        let log = try #require(
            try repo.status()["steps"].flatMap { (($0 as? [String: Any])?["noisy"] as? [String: Any])?["log"] as? String })
        let size = try #require(try FileManager.default.attributesOfItem(atPath: log)[.size] as? Int)
        #expect(size > 64 << 20)
        // GNU time's peak RSS of `jobs log` with its output thrown away.
        let command = "/usr/bin/time -f maxrss=%M '\(PackagePaths.binary.path)' jobs log 1 noisy --root '\(repo.root.path)' > /dev/null"
        let text = try runProcess("/bin/sh", ["-c", command], env: repo.env)
        #expect(text.status == 0, "\(text.stderr)")
        let rss = Int(text.stderr.components(separatedBy: "maxrss=").last?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "") ?? 0
        #expect(rss > 0 && rss < 48 * 1024, "jobs log of a 64 MiB log used \(rss) KB")
        let json = try repo.jobs(["log", "1", "noisy", "--format", "json"])
        #expect(json.status == 0)
        #expect(json.json["truncated"] as? Bool == true && json.json["size"] as? Int == size)
        let tail = json.json["log"] as? String ?? ""
        #expect(tail.utf8.count <= 1 << 20 && tail.hasSuffix("\nthe-end\n"))
    }
}

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
}

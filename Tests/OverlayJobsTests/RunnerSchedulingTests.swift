import Foundation
import OverlayCore
import Testing

@testable import OverlayJobs

/// The DAG runner through real `/bin/sh` steps: order, parallelism, resources, environment.
@Suite struct RunnerSchedulingTests {
    @Test func parallelBranchesRunTogetherAndASharedResourceNeverOverlaps() throws {
        let box = try JobsSandbox()
        defer { box.remove() }
        // Two branches after a common root; the second step of each needs the one gpu.
        let report = try box.run(
            """
            name: dag
            jobs:
              root: {run: "true"}
              a1: {needs: [root], run: "sleep 0.6"}
              b1: {needs: [root], run: "sleep 0.6"}
              a2: {needs: [a1], run: "sleep 0.5", resource: gpu}
              b2: {needs: [b1], run: "sleep 0.5", resource: gpu}
              join: {needs: [a2, b2], run: "true"}
            """)
        #expect(report.run.status == .done, "\(report.steps)")
        func span(_ name: String) throws -> ClosedRange<Date> {
            let s = try #require(report.step(name))
            return try #require(s.startedAt)...(try #require(s.endedAt))
        }
        let (a1, b1, a2, b2, join) = (try span("a1"), try span("b1"), try span("a2"), try span("b2"), try span("join"))
        #expect(a1.overlaps(b1), "independent branches should run side by side: \(a1) \(b1)")
        #expect(!(a2.lowerBound < b2.upperBound && b2.lowerBound < a2.upperBound), "steps sharing 'gpu' overlapped: \(a2) \(b2)")
        #expect(join.lowerBound >= max(a2.upperBound, b2.upperBound))
    }

    @Test func parallelOneRunsStepsOneAtATimeInFileOrder() throws {
        let box = try JobsSandbox()
        defer { box.remove() }
        let report = try box.run(
            "name: serial\njobs:\n  x: {run: 'echo x >> order'}\n  y: {run: 'echo y >> order'}\n  z: {needs: [x], run: 'echo z >> order'}\n",
            parallel: 1)
        #expect(report.ok)
        #expect(box.read("order") == "x\ny\nz\n")
    }

    @Test func stepsSeeTheRunIdentityAndRunInTheWorkingDirectory() throws {
        let box = try JobsSandbox()
        defer { box.remove() }
        let report = try box.run(
            """
            name: envcheck
            jobs:
              show:
                run: 'printf "%s|%s|%s|%s|%s\\n" "$OVERLAY_RUN_ID" "$OVERLAY_STEP" "$OVERLAY_PLAYBOOK_DIR" "$(pwd)" "$GREETING" > env.txt'
                env: {GREETING: hello}
            """)
        #expect(report.ok)
        let parts = (box.read("env.txt") ?? "").trimmingCharacters(in: .newlines).split(separator: "|").map(String.init)
        #expect(parts == [String(report.run.id), "show", box.root.path + "/playbooks", box.workdir, "hello"])
    }

    @Test func anUpstreamFailureSkipsItsDependentsAndNotTheOthers() throws {
        let box = try JobsSandbox()
        defer { box.remove() }
        let report = try box.run(
            """
            name: upstream
            jobs:
              broken: {run: "echo boom >&2; exit 3"}
              after: {needs: [broken], run: "touch after-ran"}
              later: {needs: [after], run: "touch later-ran"}
              independent: {run: "touch independent-ran"}
            """)
        #expect(report.run.status == .failed)
        #expect(report.step("broken")?.status == .failed && report.step("broken")?.exitCode == 3)
        #expect(report.step("after")?.status == .skipped && report.step("after")?.reason == "upstream broken failed")
        #expect(report.step("later")?.status == .skipped && report.step("later")?.reason == "upstream after skipped")
        #expect(report.step("independent")?.status == .done)
        #expect(box.read("after-ran") == nil && box.read("independent-ran") != nil)
        let log = try String(contentsOfFile: try #require(report.step("broken")?.logPath), encoding: .utf8)
        #expect(log.contains("boom"), "stderr goes to the step's log: \(log)")
    }

    @Test func aMissingDeclaredOutputFailsTheStep() throws {
        let box = try JobsSandbox()
        defer { box.remove() }
        let report = try box.run("name: outs\njobs:\n  make: {run: 'true', outputs: [made.txt]}\n")
        #expect(report.step("make")?.status == .failed)
        #expect(report.step("make")?.reason?.contains("made.txt") == true)
    }

    @Test func aResourceIsExclusiveAcrossPlaybooksAndAWaitingStepSaysWhatItWaitsFor() throws {
        let box = try JobsSandbox()
        defer { box.remove() }
        let step = { (name: String) in
            "name: \(name)\njobs:\n  use: {resource: gpu, run: 'echo \(name) $(date +%s.%N) >> gpu.log; sleep 1.5; echo \(name) $(date +%s.%N) >> gpu.log'}\n"
        }
        let training = box.request(try box.playbook(step("training")))
        let eval = box.request(try box.playbook(step("eval")))
        let first = Mutex<RunReport?>(nil)
        let thread = Thread { first.set(try? Jobs.run(training)) }
        thread.start()
        #expect(eventually { box.read("gpu.log") != nil })
        let second = Mutex<RunReport?>(nil)
        Thread { second.set(try? Jobs.run(eval)) }.start()
        // While training holds the gpu, eval's step is due and says what it waits for.
        #expect(
            eventually(5) {
                (try? Jobs.status(2, jobs: box.jobs))?.step("use")?.isWaitingForResource == true
            })
        let waiting = try #require(try Jobs.status(2, jobs: box.jobs)?.step("use"))
        #expect(waiting.status == .pending)
        #expect(waiting.reason?.hasPrefix("waiting for resource gpu, held by run 1 of playbook training, step use") == true, "\(waiting)")
        #expect(eventually { first.get() != nil && second.get() != nil })
        #expect(first.get()?.ok == true && second.get()?.ok == true)
        let times = (box.read("gpu.log") ?? "").split(separator: "\n").map { $0.split(separator: " ") }
        let by = Dictionary(grouping: times, by: { String($0[0]) }).mapValues { $0.compactMap { Double($0[1]) } }
        let (t, e) = (try #require(by["training"]), try #require(by["eval"]))
        #expect(t.count == 2 && e.count == 2)
        #expect(t[1] <= e[0] || e[1] <= t[0], "two playbooks used resource gpu at once: \(box.read("gpu.log") ?? "")")
    }

    @Test func aStepWaitingForAResourceTimesOutAfterItsTimeoutNamingTheHolder() throws {
        let box = try JobsSandbox()
        defer { box.remove() }
        let holder = box.request(try box.playbook("name: hold\njobs:\n  h: {resource: gpu, run: 'touch holding; sleep 3'}\n"))
        let done = Mutex<RunReport?>(nil)
        Thread { done.set(try? Jobs.run(holder)) }.start()
        #expect(eventually { box.read("holding") != nil })
        let report = try box.run("name: late\njobs:\n  w: {resource: gpu, timeout: 1s, run: 'touch late-ran'}\n")
        let w = try #require(report.step("w"))
        #expect(w.status == .timedOut && w.attempts == 0)
        #expect(w.reason?.hasPrefix("waited 1 s (its timeout) for resource gpu, held by run 1 of playbook hold, step h") == true, "\(w)")
        #expect(box.read("late-ran") == nil)
        #expect(eventually { done.get() != nil })
    }

    @Test func stepsDoNotSeeOverlaysSecrets() throws {
        let box = try JobsSandbox()
        defer { box.remove() }
        var request = box.request(try box.playbook("name: env\njobs:\n  show: {run: 'env; env > env.txt'}\n"))
        request.environment["OVERLAY_SECRET_MODEL_API_KEY"] = "sk-live-very-secret"
        request.environment["KEEP_ME"] = "visible"
        let report = try Jobs.run(request)
        #expect(report.ok)
        let env = box.read("env.txt") ?? ""
        #expect(env.contains("KEEP_ME=visible"), "the rest of the environment reaches the step")
        #expect(!env.contains("OVERLAY_SECRET_") && !env.contains("sk-live-very-secret"), "\(env)")
        let log = try String(contentsOfFile: try #require(report.step("show")?.logPath), encoding: .utf8)
        #expect(!log.contains("sk-live-very-secret"))
    }
}

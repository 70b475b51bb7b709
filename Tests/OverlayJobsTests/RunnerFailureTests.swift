import Foundation
import OverlayCore
import OverlayRuntime
import Testing

@testable import OverlayJobs

/// Timeouts, retries, `when` skips, provenance and cancellation, with real processes.
@Suite struct RunnerFailureTests {
    @Test func aTimeoutKillsTheWholeGroupIncludingWhatIgnoresSIGTERM() throws {
        let box = try JobsSandbox()
        defer { box.remove() }
        // The step's shell ignores SIGTERM, starts a child that ignores it too, and that child
        // starts a grandchild: only a SIGKILL of the whole group ends all three.
        let report = try box.run(
            """
            name: hang
            jobs:
              stuck:
                run: |
                  trap '' TERM
                  sh -c 'trap "" TERM; sleep 600 & echo $! > grandchild.pid; wait' &
                  echo $! > child.pid
                  wait
                timeout: 2
            """)
        let step = try #require(report.step("stuck"))
        #expect(step.status == .timedOut, "\(step)")
        #expect(step.exitCode == 128 + SIGKILL)
        #expect(step.reason?.contains("timed out after 2 s") == true)
        let child = try #require(Int32((box.read("child.pid") ?? "").trimmingCharacters(in: .whitespacesAndNewlines)))
        let grandchild = try #require(Int32((box.read("grandchild.pid") ?? "").trimmingCharacters(in: .whitespacesAndNewlines)))
        #expect(eventually { !isAlive(child) && !isAlive(grandchild) }, "the child or the grandchild survived the group kill")
        #expect(report.run.status == .failed)
    }

    @Test func aFailingStepIsRetriedWithBackoffUntilItSucceeds() throws {
        let box = try JobsSandbox()
        defer { box.remove() }
        let start = Date()
        let report = try box.run(
            """
            name: flaky
            jobs:
              flaky: {run: 'echo "attempt $OVERLAY_ATTEMPT"; [ "$OVERLAY_ATTEMPT" -ge 3 ]', retries: 3, backoff: 1}
              never: {run: 'exit 4', retries: 1, backoff: 0}
            """)
        let flaky = try #require(report.step("flaky"))
        #expect(flaky.status == .done && flaky.attempts == 3)
        // Backoff 1 s, then 2 s: the third attempt starts at least 3 s after the first.
        #expect(Date().timeIntervalSince(start) >= 3)
        let log = try String(contentsOfFile: try #require(flaky.logPath), encoding: .utf8)
        #expect(
            log.contains("attempt 1\n") && log.contains("attempt 3\n") && log.contains("retrying in 1 s") && log.contains("retrying in 2 s")
        )
        let never = try #require(report.step("never"))
        #expect(never.status == .failed && never.attempts == 2 && never.exitCode == 4)
    }

    @Test func whenConditionsSkipWithTheirReason() throws {
        let box = try JobsSandbox()
        defer { box.remove() }
        try box.write("data.jsonl", "{\"a\": 1}\n\n{\"a\": 2}\n{\"a\": 3}")
        let yaml = """
            name: conditions
            jobs:
              small: {when: {min_examples: 5, dataset: data.jsonl}, run: 'touch small-ran'}
              after_small: {needs: [small], run: 'touch after-ran'}
              enough: {when: {min_examples: 3, dataset: data.jsonl}, run: 'true'}
              missing: {when: {exists: nope.txt}, run: 'true'}
              fresh: {when: {changed: data.jsonl}, run: 'true'}
            """
        let first = try box.run(yaml)
        #expect(first.step("small")?.status == .skipped)
        #expect(first.step("small")?.reason == "data.jsonl has 3 examples, fewer than 5")
        #expect(first.step("after_small")?.reason == "upstream small skipped")
        #expect(first.step("enough")?.status == .done)
        #expect(first.step("missing")?.reason == "nope.txt does not exist")
        #expect(first.step("fresh")?.status == .done)
        #expect(first.run.status == .done, "skips are not failures")
        #expect(box.read("small-ran") == nil && box.read("after-ran") == nil)

        let second = try box.run(yaml)
        #expect(second.step("fresh")?.status == .skipped)
        #expect(second.step("fresh")?.reason == "data.jsonl has not changed since this step last ran")
        try box.write("data.jsonl", "{\"a\": 9}\n")
        #expect(try box.run(yaml).step("fresh")?.status == .done)
    }

    @Test func aProvenanceViolationFailsTheStepNamingTheLineAndItNeverRuns() throws {
        let box = try JobsSandbox()
        defer { box.remove() }
        try box.write(
            "pairs.jsonl",
            """
            {"session_id": "s1", "consent": "training", "license": "CC0-1.0", "prompt": "a"}
            {"session_id": "s2", "consent": "training", "license": "CC0-1.0", "prompt": "b"}
            {"session_id": "s3", "license": "CC0-1.0", "prompt": "c"}
            {"session_id": "s4", "consent": "maybe", "license": "CC0-1.0", "prompt": "d"}

            """)
        let report = try box.run("name: prov\njobs:\n  curate: {provenance: pairs.jsonl, run: 'touch curated'}\n")
        let curate = try #require(report.step("curate"))
        #expect(curate.status == .failed)
        #expect(curate.reason?.contains("pairs.jsonl:3: record has no consent") == true, "\(curate.reason ?? "")")
        #expect(curate.reason?.contains("pairs.jsonl:4: consent \"maybe\" is not an allowed level") == true)
        #expect(box.read("curated") == nil, "the step's command must not run")
    }

    @Test func cancellingARunEndsItsRunningStepAndSkipsTheRest() throws {
        let box = try JobsSandbox()
        defer { box.remove() }
        let playbook = try box.playbook(
            "name: long\njobs:\n  slow: {run: 'echo $$ > slow.pid; exec sleep 600'}\n  next: {needs: [slow], run: 'touch next-ran'}\n")
        let request = box.request(playbook)
        let result = Mutex<RunReport?>(nil)
        let thread = Thread { result.set(try? Jobs.run(request)) }
        thread.start()
        #expect(eventually { box.read("slow.pid") != nil })
        let pid = try #require(Int32((box.read("slow.pid") ?? "").trimmingCharacters(in: .whitespacesAndNewlines)))
        let cancelled = try Jobs.cancel(1, jobs: box.jobs, wait: .seconds(30))
        #expect(cancelled.run.status == .cancelled)
        #expect(cancelled.step("slow")?.status == .cancelled)
        #expect(cancelled.step("next")?.status == .cancelled)
        #expect(eventually { !isAlive(pid) }, "the running step's process survived the cancel")
        #expect(eventually { result.get() != nil })
        #expect(box.read("next-ran") == nil)
    }
}

/// A value shared with a thread.
final class Mutex<T>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: T
    init(_ value: T) { self.value = value }
    func get() -> T {
        lock.lock()
        defer { lock.unlock() }
        return value
    }
    func update(_ change: (inout T) -> Void) {
        lock.lock()
        change(&value)
        lock.unlock()
    }
    func set(_ v: T) {
        lock.lock()
        value = v
        lock.unlock()
    }
}

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
}

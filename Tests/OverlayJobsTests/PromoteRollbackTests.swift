import Foundation
import OverlayCore
import Testing

@testable import OverlayJobs

/// Promotion as immutable versions and one rename of the target symlink; rollback; history.
@Suite struct PromoteRollbackTests {
    static let playbook = """
        name: ship
        jobs:
          build: {run: 'rm -rf out && mkdir out && echo "model-$OVERLAY_RUN_ID" > out/model.txt'}
          promote: {needs: [build], promote: {from: out, to: registry/current}}
        """

    func live(_ box: JobsSandbox) -> String? { box.read("registry/current/model.txt")?.trimmingCharacters(in: .newlines) }

    @Test func eachPromotionIsANewReadOnlyVersionAndTheSymlinkSwitches() throws {
        let box = try JobsSandbox()
        defer { box.remove() }
        let first = try box.run(Self.playbook)
        #expect(first.ok && first.promotions.first?.version == 1 && first.promotions.first?.previous == nil)
        let second = try box.run(Self.playbook)
        #expect(second.promotions.first?.version == 2 && second.promotions.first?.previous == 1)
        let link = try FileManager.default.destinationOfSymbolicLink(atPath: box.workdir + "/registry/current")
        #expect(link == "current.versions/2", "a relative link, so the registry can be synced elsewhere")
        #expect(live(box) == "model-2")
        let attributes = try FileManager.default.attributesOfItem(atPath: box.workdir + "/registry/current.versions/1/model.txt")
        #expect(((attributes[.posixPermissions] as? Int) ?? 0) & 0o222 == 0, "a promoted version is read-only")
        #expect(box.read("registry/current.versions/1/model.txt") != nil, "the earlier version stays")
    }

    @Test func aResumeKeepsAGateWhosePromoteIsDoneEvenThoughThePromoteChangedItsBaseline() throws {
        let box = try JobsSandbox()
        defer { box.remove() }
        // must_improve would reject the candidate against itself, now the live version.
        let report = try box.run(
            """
            name: ship
            jobs:
              build: {run: 'rm -rf out && mkdir out && echo "{\\"score\\": 1}" > out/metrics.json'}
              gate: {needs: [build], gate: {policy: must_improve, metric: score, candidate: out/metrics.json, baseline: registry/current/metrics.json}}
              promote: {needs: [gate], promote: {from: out, to: registry/current}}
              flaky: {run: 'if [ -f second ]; then exit 0; fi; touch second; exit 1'}
            """)
        #expect(report.run.status == .failed && report.step("promote")?.status == .done)
        let resumed = try Jobs.resume(report.run.id, jobs: box.jobs, consentLevels: nil)
        #expect(resumed.ok, "\(resumed.steps.map { "\($0.name) \($0.status) \($0.reason ?? "")" })")
        #expect(resumed.step("gate")?.attempts == 1 && resumed.step("promote")?.attempts == 1)
        #expect(try box.jobs.openLedger().promotions(playbook: "ship").map(\.version) == [1], "promoted once")
    }

    @Test func rollbackSwitchesBackAndIsRecordedInHistory() throws {
        let box = try JobsSandbox()
        defer { box.remove() }
        let playbook = try box.playbook(Self.playbook)
        for _ in 0..<3 { _ = try Jobs.run(box.request(playbook)) }
        let back = try Jobs.rollback(playbook, step: nil, to: nil, jobs: box.jobs, workdir: nil)
        #expect(back.version == 2 && back.previous == 3)
        let twice = try Jobs.rollback(playbook, step: nil, to: nil, jobs: box.jobs, workdir: nil)
        #expect(twice.version == 1, "rolling back twice goes two versions back")
        let to = try Jobs.rollback(playbook, step: nil, to: 3, jobs: box.jobs, workdir: nil)
        #expect(to.version == 3 && to.previous == 1)
        #expect(throws: JobsError.self) { try Jobs.rollback(playbook, step: nil, to: 9, jobs: box.jobs, workdir: nil) }
        let history = try Jobs.history("ship", jobs: box.jobs)
        #expect(history.map(\.kind) == [.promote, .promote, .promote, .rollback, .rollback, .rollback])
        #expect(history.map(\.version) == [1, 2, 3, 2, 1, 3])
        let link = try FileManager.default.destinationOfSymbolicLink(atPath: box.workdir + "/registry/current")
        #expect(link == "current.versions/3")
    }

    @Test func aTargetThatIsARealFolderIsNeverReplaced() throws {
        let box = try JobsSandbox()
        defer { box.remove() }
        try box.write("registry/current/model.txt", "hand-placed\n")
        let report = try box.run(Self.playbook)
        #expect(report.step("promote")?.status == .failed)
        #expect(report.step("promote")?.reason?.contains("is a real folder") == true)
        #expect(live(box) == "hand-placed")
    }

    @Test func promotingNothingFailsAndLeavesTheLiveVersion() throws {
        let box = try JobsSandbox()
        defer { box.remove() }
        _ = try box.run(Self.playbook)
        let report = try box.run("name: ship\njobs:\n  promote: {promote: {from: missing, to: registry/current}}\n")
        #expect(report.step("promote")?.status == .failed)
        #expect(report.step("promote")?.reason?.contains("nothing to promote: ") == true)
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: box.workdir + "/registry/current") == "current.versions/1")
    }
}

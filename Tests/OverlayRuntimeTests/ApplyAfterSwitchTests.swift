import Foundation
import OverlayCore
import Testing

@testable import OverlayRuntime

/// What happens after `current` is switched: failures are reported with the live generation,
/// and the caller's last step (the crontab) runs while the state lock is still held.
@Suite struct ApplyAfterSwitchTests {
    /// True when another process (or open file) could take the state lock right now.
    func lockIsFree(_ f: RuntimeFixture) -> Bool {
        guard let lock = try? StateLock.acquire(f.state, timeout: 0) else { return false }
        lock.release()
        return true
    }

    @Test func applyRunsItsLastStepWhileHoldingTheLock() throws {
        let f = try RuntimeFixture()
        defer { f.cleanup() }
        var heldDuringStep: Bool?
        var liveDuringStep: Int?

        _ = try f.executor.apply(f.rendered(["a.txt": "a\n"]), options: ApplyOptions(lockTimeout: 5)) { report in
            heldDuringStep = !lockIsFree(f)
            liveDuringStep = report.generation
        }

        #expect(heldDuringStep == true)
        #expect(liveDuringStep == 1)
        #expect(lockIsFree(f), "released afterwards")
    }

    @Test func rollbackRunsItsLastStepWhileHoldingTheLock() throws {
        let f = try RuntimeFixture()
        defer { f.cleanup() }
        _ = try f.apply(f.rendered(["a.txt": "1\n"]))
        _ = try f.apply(f.rendered(["a.txt": "2\n"]))
        var heldDuringStep: Bool?

        let report = try f.executor.rollback(to: nil, options: ApplyOptions(lockTimeout: 5)) { _ in
            heldDuringStep = !lockIsFree(f)
        }

        #expect(report.generation == 1)
        #expect(heldDuringStep == true)
    }

    @Test func aCopyThatCannotBePlacedIsReportedWithTheNewGenerationAndIsDrift() throws {
        let f = try RuntimeFixture()
        defer { f.cleanup() }
        _ = try f.apply(f.rendered(["a.txt": "1\n", "c.json": "1\n"], copies: ["c.json"]))
        // A folder where the copy's temp file goes: unlink(2) refuses it, even as root.
        try FileManager.default.createDirectory(atPath: f.home + "/.c.json.overlay-tmp", withIntermediateDirectories: true)

        let report = try f.apply(f.rendered(["a.txt": "2\n", "c.json": "22\n"], copies: ["c.json"]))

        #expect(report.switched && report.generation == 2)
        guard case .afterSwitch(let generation, let paths, let underlying, let rerun) = report.afterSwitchFailure else {
            Issue.record("no after-switch failure: \(String(describing: report.afterSwitchFailure))")
            return
        }
        #expect(generation == 2 && paths == [f.home + "/c.json"] && rerun == "overlay apply")
        #expect(underlying == .io(operation: "unlink", path: f.home + "/.c.json.overlay-tmp", errno: EISDIR))
        #expect(f.read("a.txt") == "2\n" && f.read("c.json") == "1\n")
        #expect(try DriftDetector(state: f.state).detect() == [DriftItem(path: f.home + "/c.json", kind: .edited)])
    }
}

import Foundation
import OverlayCore
import OverlayRuntime

/// Ledger write throughput, for `bench/jobs.sh`: the writes a runner makes per step
/// (attempt started, process recorded, finished), each its own transaction as in a run.
public enum LedgerBenchmark {
    /// Performs `writes` step writes on a fresh ledger at `path`; returns the seconds taken.
    public static func run(path: String, writes: Int) throws(JobsError) -> Double {
        try? FileManager.default.removeItem(atPath: path)
        let ledger = try JobLedger(path: path)
        let steps = (0..<100).map { JobStep(name: "s\($0)", action: .run("true")) }
        let playbook = JobPlaybook(name: "bench", file: "bench.yaml", steps: steps)
        let run = try ledger.createRun(playbook, playbookPath: "/bench.yaml", host: nil, workdir: "/tmp", runner: .current, at: Date())
        let me = ProcessIdentity.current
        let start = ContinuousClock.now
        for i in 0..<writes {
            let step = steps[i % steps.count].name
            switch i % 3 {
            case 0: try ledger.stepStarted(run: run, step: step, log: "/tmp/\(step).log", at: Date())
            case 1: try ledger.stepProcess(run: run, step: step, process: me)
            default: try ledger.stepFinished(run: run, step: step, status: .done, exitCode: 0, at: Date())
            }
        }
        let elapsed = ContinuousClock.now - start
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }
}

import ArgumentParser
import Foundation
import OverlayEngine
import OverlayJobs

/// `overlay jobs ledger-bench` (hidden): ledger writes per second, for bench/jobs.sh.
struct JobsLedgerBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ledger-bench", abstract: "Measure job-ledger writes per second (benchmark).", shouldDisplay: false)

    @Option(help: "The ledger file to create (replaced).")
    var file: String

    @Option(help: "How many step writes.")
    var count = 10_000

    func run() throws {
        do {
            let seconds = try LedgerBenchmark.run(path: file, writes: max(count, 1))
            Output.line(String(format: "%d writes in %.3f s: %.0f writes/s", count, seconds, Double(count) / seconds))
        } catch {
            try JobsFailure.exit(error, format: .text)
        }
    }
}

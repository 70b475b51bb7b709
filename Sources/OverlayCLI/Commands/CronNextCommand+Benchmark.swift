import Foundation
import OverlayCore

/// The hidden `--bench-file` mode of `overlay cron next`, used by bench/cron.sh: computes
/// `count` next times for every expression in a file (one a line) and prints how many it
/// computed and a checksum (the sum of the epoch seconds) so the peer's answers can be compared.
enum CronNextBenchmark {
    static func run(file: String, count: Int, from: Date, zone: TimeZone) throws {
        guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
            throw CommandFailure(description: "cannot read \(file)", exitCode: 2)
        }
        let schedules = text.split(separator: "\n").compactMap { try? CronSchedule.parse(String($0)) }
        let clock = ContinuousClock()
        var computed = 0
        var checksum: Int64 = 0
        let elapsed = clock.measure {
            for schedule in schedules {
                var cursor = from
                for _ in 0..<count {
                    guard let next = schedule.next(after: cursor, in: zone) else { break }
                    checksum &+= Int64(next.timeIntervalSince1970)
                    computed += 1
                    cursor = next
                }
            }
        }
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        Output.line("expressions=\(schedules.count) computed=\(computed) checksum=\(checksum) seconds=\(seconds)")
    }
}

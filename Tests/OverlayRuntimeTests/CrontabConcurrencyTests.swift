import Foundation
import Testing

@testable import OverlayRuntime

/// Concurrent installs for different hosts into one crontab (converge applies local wizards in parallel).
@Suite struct CrontabConcurrencyTests {
    @Test func parallelInstallsForManyHostsLoseNoBlock() async throws {
        let (crontab, url) = try fileCrontab("# mine\n")
        let hosts = (1...12).map { "wizard\($0)" }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for host in hosts {
                group.addTask { try crontab.install(jobs: sampleJobs, host: host) }
            }
            try await group.waitForAll()
        }
        let text = try contents(url)
        for host in hosts {
            #expect(try CrontabDocument.parse(text, host: host).block?.entries.map(\.name) == ["backup", "heartbeat"])
        }
        #expect(text.hasPrefix("# mine\n"))
    }
}

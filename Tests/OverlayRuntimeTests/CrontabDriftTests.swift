import Foundation
import OverlayCore
import Testing

@testable import OverlayRuntime

@Suite struct CrontabDriftTests {
    @Test func noDriftRightAfterInstall() throws {
        let (crontab, _) = try fileCrontab("# mine\n")
        try crontab.install(jobs: sampleJobs, host: "timmy")
        let drift = try crontab.diff(jobs: sampleJobs, host: "timmy")
        #expect(!drift.hasDrift && drift.text.isEmpty)
    }

    @Test func reportsMissingChangedAndExtraByName() throws {
        let (crontab, _) = try fileCrontab(nil)
        try crontab.install(jobs: sampleJobs, host: "timmy")
        let declared = [
            RenderedCronJob(name: "heartbeat", schedule: "*/5 * * * *", command: "overlay heartbeat"),
            RenderedCronJob(name: "deadman", schedule: "* * * * *", command: "overlay deadman check"),
        ]

        let drift = try crontab.diff(jobs: declared, host: "timmy")

        #expect(drift.missing == ["deadman"] && drift.changed == ["heartbeat"] && drift.extra == ["backup"])
        #expect(drift.text.contains("\n-*/1 * * * * tester overlay heartbeat\n+*/5 * * * * tester overlay heartbeat\n"))
        #expect(drift.text.contains("+* * * * * tester overlay deadman check\n"))
        #expect(drift.text.contains("-@daily tester tar czf"))
    }

    @Test func handEditInsideTheBlockIsDriftAndTheNextInstallRepairsIt() throws {
        let (crontab, url) = try fileCrontab(nil)
        try crontab.install(jobs: sampleJobs, host: "timmy")
        let edited = try contents(url).replacingOccurrences(
            of: "# <<< overlay managed", with: "0 5 * * * root added-by-hand\n# <<< overlay managed")
        try Data(edited.utf8).write(to: url)

        let drift = try crontab.diff(jobs: sampleJobs, host: "timmy")
        let change = try crontab.install(jobs: sampleJobs, host: "timmy")

        #expect(drift.hasDrift && drift.strays == ["0 5 * * * root added-by-hand"])
        #expect(try change.written && !contents(url).contains("added-by-hand"))
    }

    @Test func noBlockMeansEveryJobIsMissing() throws {
        let (crontab, _) = try fileCrontab(nil)
        let drift = try crontab.diff(jobs: sampleJobs, host: "timmy")
        #expect(drift.missing == ["backup", "heartbeat"] && drift.extra.isEmpty)
    }
}

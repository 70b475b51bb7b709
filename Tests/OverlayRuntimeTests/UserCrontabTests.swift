import Foundation
import OverlayCore
import TestSupport
import Testing

@testable import OverlayRuntime

/// The managed block in the current user's real crontab, through the real `crontab` command.
@Suite(.serialized) struct UserCrontabTests {
    let host = "crontab-test-\(getpid())"

    @Test func userLinesSurviveTwoAppliesAndAJobRemoval() throws {
        let session = try RealCrontabSession()
        defer { session.restore() }
        let above = "# written by a human\nMAILTO=\"\"\n0 4 * * * /usr/bin/true above   # spaced\n\n"
        let below = "# below the block\n5 4 * * * /usr/bin/true below\n"
        try session.set(above)
        let crontab = try ManagedCrontab(target: .user)

        let first = try crontab.install(jobs: sampleJobs, host: host)
        try session.set(try session.listed() + below)
        let withBelow = try session.listed()
        let second = try crontab.install(jobs: sampleJobs, host: host)
        let afterSecond = try session.listed()
        let removal = try crontab.install(jobs: [sampleJobs[0]], host: host)
        let final = try session.listed()

        #expect(first.added == ["backup", "heartbeat"] && first.written)
        #expect(second == CrontabChange(unchanged: ["backup", "heartbeat"], written: false))
        #expect(afterSecond == withBelow)
        #expect(removal.removed == ["backup"] && removal.unchanged == ["heartbeat"])
        #expect(final.hasPrefix(above + CrontabBlock.beginMarker(host: host) + "\n"))
        #expect(final.hasSuffix(CrontabBlock.endMarker(host: host) + "\n" + below))
        #expect(final.contains("# overlay job: heartbeat\n*/1 * * * * overlay heartbeat\n"))
        #expect(!final.contains("tar czf"))
    }

    /// A Latin-1 byte in the user's own line used to block every later install.
    @Test func bytesThatAreNotUTF8InTheUsersLinesAreKept() throws {
        let session = try RealCrontabSession()
        defer { session.restore() }
        let mine = Data("# r".utf8) + Data([0xE9]) + Data("sum\u{E9}\n0 4 * * * /usr/bin/true caf".utf8) + Data([0xE9, 0x0A])
        try session.set(bytes: mine)
        let crontab = try ManagedCrontab(target: .user)

        try crontab.install(jobs: sampleJobs, host: host)
        #expect(try session.listedBytes().starts(with: mine))
        try crontab.install(jobs: [sampleJobs[0]], host: host)
        try crontab.remove(host: host)

        #expect(try session.listedBytes() == mine)
    }

    @Test func removeLeavesOnlyTheUsersLines() throws {
        let session = try RealCrontabSession()
        defer { session.restore() }
        let mine = "0 4 * * * /usr/bin/true mine\n"
        try session.set(mine)
        let crontab = try ManagedCrontab(target: .user)
        try crontab.install(jobs: sampleJobs, host: host)

        try crontab.remove(host: host)

        #expect(try session.listed() == mine)
    }

    @Test func refusedJobChangesNothing() throws {
        let session = try RealCrontabSession()
        defer { session.restore() }
        try session.set("0 4 * * * /usr/bin/true mine\n")
        let crontab = try ManagedCrontab(target: .user)
        try crontab.install(jobs: sampleJobs, host: host)
        let before = try session.listed()

        #expect(throws: CrontabError.self) {
            try crontab.install(jobs: [RenderedCronJob(name: "bad", schedule: "0 0 * *", command: "true")], host: host)
        }
        #expect(try session.listed() == before)
    }

    @Test func noCrontabYetReadsAsEmpty() throws {
        let session = try RealCrontabSession()
        defer { session.restore() }
        _ = try runTool(RealCrontabSession.crontab, ["-r"])
        let crontab = try ManagedCrontab(target: .user)

        let drift = try crontab.diff(jobs: sampleJobs, host: host)

        #expect(drift.missing == ["backup", "heartbeat"])
    }
}

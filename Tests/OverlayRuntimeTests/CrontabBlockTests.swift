import Foundation
import OverlayCore
import Testing

@testable import OverlayRuntime

@Suite struct CrontabBlockTests {
    @Test func blockIsMarkedWithHostAndEachJobIsNamed() throws {
        let (crontab, url) = try fileCrontab(nil, user: "timmy")
        try crontab.install(jobs: sampleJobs, host: "timmy")
        #expect(
            try contents(url) == """
                # >>> overlay managed: host=timmy -- do not edit inside this block >>>
                # overlay job: backup
                @daily timmy tar czf /tmp/b.tgz /etc
                # overlay job: heartbeat
                */1 * * * * timmy overlay heartbeat
                # <<< overlay managed: host=timmy <<<

                """)
    }

    @Test func userLinesAroundTheBlockSurviveByteForByte() throws {
        let above = "# my jobs\r\nMAILTO=\"\"\n\n30 2 * * * /usr/local/bin/nightly   # keep spacing\n"
        let below = "\n15 * * * * echo below\n# trailing comment without newline"
        let (crontab, url) = try fileCrontab(above)
        try crontab.install(jobs: sampleJobs, host: "timmy")
        try Data((try contents(url) + below).utf8).write(to: url)

        let change = try crontab.install(jobs: [sampleJobs[0]], host: "timmy")

        let text = try contents(url)
        #expect(change.removed == ["backup"] && change.unchanged == ["heartbeat"] && change.written)
        #expect(text.hasPrefix(above))
        #expect(text.hasSuffix("# <<< overlay managed: host=timmy <<<\n" + below))
        #expect(!text.contains("backup"))
    }

    /// A crontab saved with CRLF line ends (an editor on another system): its blocks are found,
    /// so a second install neither appends a second block nor calls the file damaged.
    @Test func aCRLFCrontabKeepsOneBlockPerHost() throws {
        let (crontab, url) = try fileCrontab("MAILTO=ops\n")
        try crontab.install(jobs: sampleJobs, host: "timmy")
        try crontab.install(jobs: [sampleJobs[1]], host: "hermes")
        let crlf = try contents(url).replacingOccurrences(of: "\n", with: "\r\n")
        try Data(crlf.utf8).write(to: url)

        // The block is found; its job lines end in a CR that cron would hand to sh, so they are
        // drift: rewritten with LF once (and said so), then nothing to write.
        let again = try crontab.install(jobs: sampleJobs, host: "timmy")
        let third = try crontab.install(jobs: sampleJobs, host: "timmy")
        _ = try crontab.install(jobs: [sampleJobs[0]], host: "hermes")

        let text = try contents(url)
        #expect(again.updated == ["backup", "heartbeat"] && again.added.isEmpty && again.written)
        #expect(!third.written)
        #expect(text.components(separatedBy: "host=timmy -- do not edit").count == 2, "\(text)")
        #expect(text.components(separatedBy: "host=hermes -- do not edit").count == 2, "\(text)")
        #expect(text.hasPrefix("MAILTO=ops\r\n"))
        #expect(StringScan.lines("a\r\nb\n\nc").joined(separator: "\n") == "a\r\nb\n\nc")
        #expect(StringScan.lines("a\r\nb\n").count == 3)
    }

    /// A first block after a CRLF file's last line: no blank line between (the CRLF ends the
    /// line), and removing the block gives the file back byte for byte.
    @Test func aBlockAfterACRLFLastLineAddsNoBlankLine() throws {
        let original = "MAILTO=me\r\n5 4 * * * root /x\r\n"
        let (crontab, url) = try fileCrontab(original)
        try crontab.install(jobs: sampleJobs, host: "timmy")
        #expect(try contents(url).hasPrefix(original + "# >>> overlay managed: host=timmy"))
        try crontab.remove(host: "timmy")
        #expect(try contents(url) == original)
    }

    @Test func secondInstallWritesNothing() throws {
        let (crontab, url) = try fileCrontab("0 1 * * * root true\n")
        let first = try crontab.install(jobs: sampleJobs, host: "timmy")
        let before = try inode(url)

        let second = try crontab.install(jobs: sampleJobs.reversed(), host: "timmy")

        #expect(first.added == ["backup", "heartbeat"] && first.written)
        #expect(second == CrontabChange(unchanged: ["backup", "heartbeat"], written: false))
        #expect(try inode(url) == before)
    }

    @Test func changedCommandIsReportedAsUpdated() throws {
        let (crontab, url) = try fileCrontab(nil)
        try crontab.install(jobs: sampleJobs, host: "timmy")
        var jobs = sampleJobs
        jobs[0].command = "overlay heartbeat --stamp /tmp/s"

        let change = try crontab.install(jobs: jobs, host: "timmy")

        #expect(change.updated == ["heartbeat"] && change.unchanged == ["backup"])
        #expect(try contents(url).contains("*/1 * * * * tester overlay heartbeat --stamp /tmp/s\n"))
    }

    @Test func twoHostsKeepTheirOwnBlocks() throws {
        let (crontab, url) = try fileCrontab("MAILTO=ops\n")
        try crontab.install(jobs: sampleJobs, host: "timmy")
        try crontab.install(jobs: [sampleJobs[1]], host: "hermes")
        let hermesBlock = try CrontabDocument.parse(try contents(url), host: "hermes").blockText

        try crontab.install(jobs: [sampleJobs[0]], host: "timmy")
        let afterUpdate = try contents(url)
        try crontab.remove(host: "timmy")

        #expect(try CrontabDocument.parse(afterUpdate, host: "hermes").blockText == hermesBlock)
        #expect(try contents(url) == "MAILTO=ops\n" + hermesBlock)
    }

    @Test func missingFinalNewlineGetsOneBeforeANewBlock() throws {
        let (crontab, url) = try fileCrontab("0 3 * * * root /bin/true")
        try crontab.install(jobs: sampleJobs, host: "timmy")
        #expect(try contents(url).hasPrefix("0 3 * * * root /bin/true\n# >>> overlay managed: host=timmy "))

        try crontab.remove(host: "timmy")
        #expect(try contents(url) == "0 3 * * * root /bin/true\n")
    }

    @Test func removingEveryJobLeavesAnEmptyBlockAndNoneWhenThereWasNone() throws {
        let (crontab, url) = try fileCrontab("# mine\n")
        #expect(try crontab.install(jobs: [], host: "timmy").written == false)
        #expect(try contents(url) == "# mine\n")

        try crontab.install(jobs: sampleJobs, host: "timmy")
        let change = try crontab.install(jobs: [], host: "timmy")
        #expect(change.removed == ["heartbeat", "backup"].sorted())
        #expect(try CrontabDocument.parse(try contents(url), host: "timmy").block?.entries == [])
    }

    @Test(arguments: [
        ("# >>> overlay managed: host=timmy -- do not edit inside this block >>>\n0 * * * * x\n", 1, "no matching end marker"),
        ("# x\n# <<< overlay managed: host=timmy <<<\n", 2, "end marker without a begin"),
        (
            "# >>> overlay managed: host=timmy >>>\n# <<< overlay managed: host=timmy <<<\n"
                + "# >>> overlay managed: host=timmy >>>\n# <<< overlay managed: host=timmy <<<\n", 3, "second block"
        ),
        (
            "# >>> overlay managed: host=timmy >>>\n# >>> overlay managed: host=hermes >>>\n"
                + "# <<< overlay managed: host=hermes <<<\n# <<< overlay managed: host=timmy <<<\n", 2, "host 'hermes' begins"
        ),
    ])
    func damagedBlockIsRefusedAndNothingWritten(text: String, line: Int, reason: String) throws {
        let (crontab, url) = try fileCrontab(text)
        #expect {
            try crontab.install(jobs: sampleJobs, host: "timmy")
        } throws: { error in
            guard case .damagedBlock(let host, let at, let why) = error as? CrontabError else { return false }
            return host == "timmy" && at == line && why.contains(reason)
        }
        #expect(try contents(url) == text)
    }

    @Test func anotherHostsDamageIsNotThisHostsProblem() throws {
        let text = "# >>> overlay managed: host=hermes >>>\n0 * * * * root x\n"
        let (crontab, url) = try fileCrontab(text)
        try crontab.install(jobs: sampleJobs, host: "timmy")
        #expect(try contents(url).hasPrefix(text + "# >>> overlay managed: host=timmy "))
    }

    @Test(arguments: [
        ("0 * * * * *", "[cron.syntax]"),
        ("@every 5m", "[cron.syntax]"),
        ("0 0 ? * MON", "[cron.syntax]"),
        ("61 * * * *", "[cron.range]"),
        ("0 0 30 2 *", "[cron.never-fires]"),
    ])
    func scheduleThatWouldNotParseIsRefused(schedule: String, reason: String) throws {
        let (crontab, url) = try fileCrontab("# mine\n")
        let jobs = [sampleJobs[0], RenderedCronJob(name: "bad", schedule: schedule, command: "true")]
        #expect {
            try crontab.install(jobs: jobs, host: "timmy")
        } throws: { error in
            guard case .invalidJob(let name, let why) = error as? CrontabError else { return false }
            return name == "bad" && why.contains(reason)
        }
        #expect(try contents(url) == "# mine\n")
    }

    @Test(arguments: [
        ("date +%F", "'\\%'"),
        ("echo a\necho b", "newline"),
        ("echo \0", "NUL"),
    ])
    func commandThatCronWouldMangleIsRefused(command: String, reason: String) throws {
        let (crontab, _) = try fileCrontab(nil)
        #expect {
            try crontab.install(jobs: [RenderedCronJob(name: "bad", schedule: "@hourly", command: command)], host: "timmy")
        } throws: { error in
            guard case .invalidJob(_, let why) = error as? CrontabError else { return false }
            return why.contains(reason)
        }
    }

    @Test func escapedPercentIsAccepted() throws {
        let (crontab, url) = try fileCrontab(nil)
        try crontab.install(jobs: [RenderedCronJob(name: "stamp", schedule: "@hourly", command: #"date +\%F > /tmp/d"#)], host: "t")
        #expect(try contents(url).contains(#"@hourly tester date +\%F > /tmp/d"#))
    }

    @Test func duplicateJobNamesAreRefused() throws {
        let (crontab, _) = try fileCrontab(nil)
        #expect(throws: CrontabError.duplicateJob("heartbeat")) {
            try crontab.install(jobs: [sampleJobs[0], sampleJobs[0]], host: "timmy")
        }
    }

    @Test func userColumnIsTheJobsUserElseTheCurrentUser() throws {
        let (crontab, url) = try fileCrontab(nil, user: "ops")
        var jobs = sampleJobs
        jobs[1].user = "backup-user"
        try crontab.install(jobs: jobs, host: "timmy")
        let text = try contents(url)
        #expect(text.contains("@daily backup-user tar czf"))
        #expect(text.contains("*/1 * * * * ops overlay heartbeat"))
    }

    @Test func userTargetHasNoUserColumn() throws {
        let crontab = ManagedCrontab(target: .user, store: FileCrontabStore(path: "/nonexistent"), userName: { "ops" })
        let block = try crontab.declaredBlock(jobs: [sampleJobs[0]], host: "timmy")
        #expect(block.entries.map(\.line) == ["*/1 * * * * overlay heartbeat"])
    }
}

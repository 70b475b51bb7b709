import Foundation
import OverlayCore
import Testing

@testable import OverlayRuntime

/// `install(many:)`: many hosts' blocks with one read and one write leave the crontab exactly as
/// installing them one host at a time does, on the crontabs users really have.
@Suite struct CrontabManyTests {
    static func block(_ host: String) -> String {
        CrontabBlock.rendering(host: host, lines: [("old", "@daily echo \(host)")]).render()
    }

    /// Crontabs to start from: empty, the user's own lines with and without a final newline,
    /// other hosts' blocks before, between and after, a block without a final newline, and damage.
    static let starts: [String] = [
        "",
        "MAILTO=ops\n# mine\n5 4 * * * /usr/bin/backup\n",
        "5 4 * * * /usr/bin/backup",
        block("a") + "# between\n" + block("c") + "tail line",
        "# top\n" + block("b") + block("z"),
        "# top\n" + String(block("a").dropLast()),
        // Damaged: c's block never ends. Each host meets only its own damage.
        block("a") + "# >>> overlay managed: host=c -- do not edit inside this block >>>\n# overlay job: x\n",
    ]

    /// (host, jobs): a changed block, a new one, one emptied (removed), one left as it is.
    static let installs: [(String, [RenderedCronJob])] = [
        ("a", [RenderedCronJob(name: "beat", schedule: "*/1 * * * *", command: "overlay heartbeat")]),
        ("b", []),
        ("new", sampleJobs),
        ("z", [RenderedCronJob(name: "old", schedule: "@daily", command: "echo z")]),
        ("c", sampleJobs),
    ]

    @Test(arguments: starts.indices) func manyInstallsEndAsOneByOneDoes(_ start: Int) throws {
        let (one, oneURL) = try fileCrontab(Self.starts[start])
        var expected: [Result<CrontabChange, CrontabError>] = []
        for (host, jobs) in Self.installs {
            do { expected.append(.success(try one.install(jobs: jobs, host: host))) } catch { expected.append(.failure(error)) }
        }
        let (many, manyURL) = try fileCrontab(Self.starts[start])
        let results = many.install(many: Self.installs.map { CrontabInstall(host: $0.0, jobs: $0.1) })

        #expect(try contents(manyURL) == contents(oneURL))
        for (index, (result, wanted)) in zip(results, expected).enumerated() {
            switch (result, wanted) {
            case (.success(let change), .success(let want)):
                #expect(change?.added == want.added && change?.updated == want.updated && change?.removed == want.removed, "host \(index)")
            case (.failure(let error), .failure(let want)):
                #expect(error.description == want.description)
            default:
                Issue.record("host \(Self.installs[index].0): \(result) against one by one \(wanted)")
            }
        }
    }

    @Test func aNoOpWritesNothingAndAHostNoLongerWantedIsLeftAlone() throws {
        let (crontab, url) = try fileCrontab("# mine\n")
        let first = crontab.install(many: Self.installs.map { CrontabInstall(host: $0.0, jobs: $0.1) })
        #expect(first.allSatisfy { if case .success(let c?) = $0 { return c.written || !c.changedJobs } else { return false } })
        let before = try inode(url)
        let again = crontab.install(many: Self.installs.map { CrontabInstall(host: $0.0, jobs: $0.1) })
        #expect(try inode(url) == before, "a no-op replaced the file")
        #expect(again.allSatisfy { if case .success(let c?) = $0 { return !c.written && !c.changedJobs } else { return false } })

        // A newer run of host a went live meanwhile: a's block stays as that run left it.
        let text = try contents(url)
        let stale = crontab.install(many: [CrontabInstall(host: "a", jobs: sampleJobs, stillWanted: { false })])
        #expect(try contents(url) == text)
        if case .success(let change) = stale[0] { #expect(change == nil) } else { Issue.record("\(stale)") }
    }
}

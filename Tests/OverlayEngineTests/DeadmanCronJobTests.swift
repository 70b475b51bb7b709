import Foundation
import OverlayCore
import OverlayRuntime
import Testing

@testable import OverlayEngine

/// The cron line of the deadman check survives odd paths: quotes, spaces, cron's `%`.
@Suite struct DeadmanCronJobTests {
    let settings = RenderedDeadman(
        stamp: "/s", maxAge: 180, every: 300, restart: "true", maxRetries: 1, rollback: true, alert: nil)

    @Test func oddPathsAreQuotedForTheShellAndEscapedForCron() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("overlay-cronjob-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        let state = root + "/it's 100% state"
        let exe = root + "/bin dir/over'lay"
        try FileManager.default.createDirectory(atPath: state, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: root + "/bin dir", withIntermediateDirectories: true)
        // A stand-in binary that records where and how cron's shell started it.
        try "#!/bin/sh\necho \"$PWD|$OVERLAY_STATE_DIR|$*\"\n".write(toFile: exe, atomically: true, encoding: .utf8)
        chmod(exe, 0o755)

        let job = try DeadmanCronJob.make(settings, stateDir: StateDirectory(path: state), executable: exe)
        #expect(job.name == "overlay-deadman" && job.schedule == "*/5 * * * *" && job.deadman == settings)
        let line = try CrontabLine.render(job, user: nil)
        #expect(!line.contains("100%"), "every % is escaped: \(line)")
        // What cron does before handing the command to /bin/sh: `\%` becomes `%`.
        let command = String(line.dropFirst("*/5 * * * * ".count)).replacingOccurrences(of: #"\%"#, with: "%")
        let ran = try ChildProcess.shell(command, environment: ["PATH": "/usr/bin:/bin"]).run()
        #expect(ran.status == 0)
        let output = try String(contentsOfFile: state + "/logs/deadman-cron.log", encoding: .utf8)
        #expect(output == "\(state)|\(state)|deadman check --quiet\n")
    }

    @Test func aPathWithALineBreakOrACadenceCronCannotKeepIsRefused() {
        #expect(throws: CrontabSetupError.self) {
            try DeadmanCronJob.make(settings, stateDir: StateDirectory(path: "/a\nb"), executable: "/bin/overlay")
        }
        var odd = settings
        odd.every = 90
        #expect(throws: CrontabSetupError.self) {
            try DeadmanCronJob.make(odd, stateDir: StateDirectory(path: "/s"), executable: "/bin/overlay")
        }
        var state = RenderedState(host: "h", homes: [:], protected: [], files: [], deadman: settings)
        state.cronJobs = [RenderedCronJob(name: "overlay-deadman", schedule: "* * * * *", command: "true")]
        #expect(throws: CrontabSetupError.self) {
            try DeadmanCronJob.adding(to: state, stateDir: StateDirectory(path: "/s"), executable: "/bin/overlay")
        }
    }
}

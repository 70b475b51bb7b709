import Foundation
import OverlayCore
import TestSupport
import Testing

@testable import OverlayRuntime

/// Proves an installed entry really runs: the real cron daemon fires it within a minute.
@Suite(.serialized) struct CronDaemonTests {
    @Test(.tags(.slow), .timeLimit(.minutes(3)))
    func installedEntryRunsUnderTheRealDaemon() throws {
        try ensureCronDaemon()
        let session = try RealCrontabSession()
        defer { session.restore() }
        let dir = try makeCrontabTempDir()
        let stamp = dir.appendingPathComponent("fired")
        // The env prefix and the escaped `%` both have to survive cron for the stamp to hold seconds.
        let job = RenderedCronJob(
            name: "daemon-probe", schedule: "* * * * *",
            command: #"date +\%s > "$STAMP_DIR/fired.tmp" && mv "$STAMP_DIR/fired.tmp" "$STAMP_DIR/fired""#,
            env: ["STAMP_DIR": dir.path])
        waitAwayFromMinuteBoundary()
        try ManagedCrontab(target: .user).install(jobs: [job], host: "cron-daemon-test-\(getpid())")

        let deadline = Date().addingTimeInterval(75)
        while !FileManager.default.fileExists(atPath: stamp.path) && Date() < deadline {
            Thread.sleep(forTimeInterval: 0.5)
        }

        let written = try #require(try? contents(stamp), "cron did not run the installed entry within 75 s")
        #expect(Int(written.trimmingCharacters(in: .whitespacesAndNewlines)) != nil)
    }

    /// Starts /usr/sbin/cron (it daemonizes) when no cron daemon is running.
    private func ensureCronDaemon() throws {
        // Only a live daemon counts: PID 1 here does not reap, so a dead cron stays a zombie.
        if try runTool("/usr/bin/pgrep", ["-x", "-r", "R,S,D", "cron"]).status == 0 { return }
        guard geteuid() == 0 else { throw SessionError("the cron daemon is not running and only root can start it") }
        // Debian's cron keeps every descriptor it inherits; Foundation's Process hands the
        // child a socket it waits on, so starting the daemon through it hangs forever.
        // ChildProcess gives it nothing but three scratch files.
        let r = try ChildProcess("/usr/sbin/cron").run()
        guard r.status == 0 else { throw SessionError("/usr/sbin/cron exited with \(r.status)") }
    }

    /// Cron reloads crontabs at the top of each minute; installing right at the boundary can miss one.
    private func waitAwayFromMinuteBoundary() {
        let second = Calendar(identifier: .gregorian).component(.second, from: Date())
        if second >= 57 { Thread.sleep(forTimeInterval: Double(62 - second)) }
    }
}

import Foundation
import OverlayRuntime

/// The system cron daemon, for the tests that watch it run what overlay installed.
public enum CronDaemon {
    /// True when a live cron daemon runs (PID 1 here does not reap: a dead one stays a zombie).
    public static func isRunning() throws -> Bool {
        try ChildProcess("/usr/bin/pgrep", ["-x", "-r", "R,S,D", "cron"]).run().status == 0
    }

    /// Starts /usr/sbin/cron (it daemonizes); only root can.
    public static func start() throws {
        guard geteuid() == 0 else { throw SessionError("the cron daemon is not running and only root can start it") }
        // Debian's cron keeps every descriptor it inherits; Foundation's Process hands the
        // child a socket it waits on, so starting the daemon through it hangs forever.
        // ChildProcess gives it nothing but three scratch files. `-L 15` logs every job.
        let r = try ChildProcess("/usr/sbin/cron", ["-L", "15"]).run()
        guard r.status == 0 else { throw SessionError("/usr/sbin/cron exited with \(r.status)") }
    }

    /// Installs with `install` so that the daemon loads it: a running daemon notices a new
    /// crontab only when the spool folder's mtime, in whole seconds, differs from the one it
    /// saw at its last load (at the top of each minute), so the install waits out the current
    /// second and stays clear of the minute boundary; a daemon started now loads every
    /// crontab at its first minute, so it is started after the install.
    public static func install(_ install: () throws -> Void) throws {
        if try isRunning() {
            Thread.sleep(forTimeInterval: 1.1)
            let second = Date().timeIntervalSince1970.truncatingRemainder(dividingBy: 60)
            if second < 2 { Thread.sleep(forTimeInterval: 2.1 - second) }
            if second >= 56 { Thread.sleep(forTimeInterval: 62.1 - second) }
            try install()
        } else {
            try install()
            try start()
        }
    }

    /// Runs `command` with `/bin/sh -c` as cron would: its own session, no descriptor of ours.
    public static func shell(_ command: String, environment: [String: String]? = nil) throws -> Int32 {
        var child = ChildProcess.shell(command, environment: environment)
        child.timeout = .seconds(30)
        return try child.run().status
    }
}

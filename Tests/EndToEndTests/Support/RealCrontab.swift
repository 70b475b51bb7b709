import Foundation

/// Exclusive use of the current user's real crontab for one test, restored afterwards.
///
/// The same session as `Tests/OverlayRuntimeTests/RealCrontab.swift` (a separate test target,
/// so it cannot be shared): the flock on the same lock file keeps these tests and the runtime
/// suites — running in parallel, possibly in other processes — off each other's crontab.
final class RealCrontabSession {
    static let crontab = "/usr/bin/crontab"
    static let lockPath = "/tmp/overlay-real-crontab-tests.lock"
    private let lockFD: Int32
    private let saved: String?

    init() throws {
        guard FileManager.default.isExecutableFile(atPath: Self.crontab) else {
            throw CrontabSessionError("the real crontab command is missing: install the cron package (scripts/install-deps.sh)")
        }
        lockFD = open(Self.lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o666)
        guard lockFD >= 0, flock(lockFD, LOCK_EX) == 0 else { throw CrontabSessionError("cannot lock \(Self.lockPath)") }
        let listed = try runProcess(Self.crontab, ["-l"])
        if listed.status == 0 {
            saved = listed.stdout
        } else if listed.stderr.contains("no crontab for") {
            saved = nil
        } else {
            close(lockFD)
            throw CrontabSessionError("crontab -l failed: \(listed.stderr)")
        }
    }

    /// Replaces the crontab with `text` using the real command.
    func set(_ text: String) throws {
        let result = try runProcess(Self.crontab, ["-"], stdin: Data(text.utf8))
        guard result.status == 0 else { throw CrontabSessionError("crontab - refused the test's crontab: \(result.stderr)") }
    }

    /// The crontab as `crontab -l` prints it.
    func listed() throws -> String {
        try runProcess(Self.crontab, ["-l"]).stdout
    }

    /// Puts the saved crontab back and releases the lock.
    func restore() {
        if let saved {
            _ = try? runProcess(Self.crontab, ["-"], stdin: Data(saved.utf8))
        } else {
            _ = try? runProcess(Self.crontab, ["-r"])
        }
        flock(lockFD, LOCK_UN)
        close(lockFD)
    }
}

/// A precondition of a real-crontab test that failed (the tool is missing, the lock is unavailable).
struct CrontabSessionError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

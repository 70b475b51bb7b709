import Foundation
import OverlayRuntime

/// Exclusive use of the current user's real crontab for one test, restored afterwards.
///
/// Test targets run in parallel, possibly in other processes, and all edit the same user's
/// crontab: the session holds an flock on one shared lock file and puts the saved crontab
/// back at the end.
public final class RealCrontabSession {
    public static let crontab = "/usr/bin/crontab"
    static let lockPath = "/tmp/overlay-real-crontab-tests.lock"
    private let lockFD: Int32
    /// The crontab as it was, byte for byte (it may hold bytes that are not UTF-8).
    private let saved: Data?

    public init() throws {
        guard FileManager.default.isExecutableFile(atPath: Self.crontab) else {
            throw SessionError("the real crontab command is missing: install the cron package (scripts/install-deps.sh)")
        }
        lockFD = open(Self.lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o666)
        guard lockFD >= 0, flock(lockFD, LOCK_EX) == 0 else { throw SessionError("cannot lock \(Self.lockPath)") }
        let listed = try Self.run(["-l"])
        if listed.status == 0 {
            saved = listed.output
        } else if String(decoding: listed.errors, as: UTF8.self).contains("no crontab for") {
            saved = nil
        } else {
            close(lockFD)
            throw SessionError("crontab -l failed: \(String(decoding: listed.errors, as: UTF8.self))")
        }
    }

    /// Replaces the crontab with `text` using the real command.
    public func set(_ text: String) throws {
        try set(bytes: Data(text.utf8))
    }

    /// Replaces the crontab with `bytes`, which need not be UTF-8.
    public func set(bytes: Data) throws {
        let result = try Self.run(["-"], input: bytes)
        guard result.status == 0 else {
            throw SessionError("crontab - refused the test's crontab: \(String(decoding: result.errors, as: UTF8.self))")
        }
    }

    /// The crontab as `crontab -l` prints it.
    public func listed() throws -> String {
        String(decoding: try listedBytes(), as: UTF8.self)
    }

    /// The crontab's bytes as `crontab -l` prints them.
    public func listedBytes() throws -> Data {
        try Self.run(["-l"]).output
    }

    /// Puts the saved crontab back and releases the lock.
    public func restore() {
        if let saved {
            _ = try? Self.run(["-"], input: saved)
        } else {
            _ = try? Self.run(["-r"])
        }
        flock(lockFD, LOCK_UN)
        close(lockFD)
    }

    private static func run(_ arguments: [String], input: Data? = nil) throws -> ChildResult {
        var child = ChildProcess(crontab, arguments, input: input)
        child.timeout = .seconds(30)
        return try child.run()
    }
}

/// A test precondition that failed (a tool is missing, the lock is unavailable).
public struct SessionError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

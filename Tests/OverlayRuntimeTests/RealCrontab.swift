import Foundation
import Testing

/// Output of one run of a real tool.
struct ToolResult {
    var status: Int32
    var stdout: String
    var stderr: String
}

/// Runs `executable` with `input` on stdin (small inputs and outputs only).
@discardableResult
func runTool(_ executable: String, _ arguments: [String], input: String? = nil) throws -> ToolResult {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    let stdin = Pipe()
    let stdout = Pipe()
    let stderr = Pipe()
    process.standardInput = stdin
    process.standardOutput = stdout
    process.standardError = stderr
    try process.run()
    stdin.fileHandleForWriting.write(Data((input ?? "").utf8))
    try stdin.fileHandleForWriting.close()
    let out = stdout.fileHandleForReading.readDataToEndOfFile()
    let err = stderr.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return ToolResult(
        status: process.terminationStatus, stdout: String(decoding: out, as: UTF8.self), stderr: String(decoding: err, as: UTF8.self))
}

/// Exclusive use of the current user's real crontab for one test, restored afterwards.
///
/// Several test processes on this machine may edit the same user's crontab, so the
/// session holds an flock on a shared lock file (other suites editing the real
/// crontab should take the same lock) and puts the saved crontab back at the end.
final class RealCrontabSession {
    static let crontab = "/usr/bin/crontab"
    static let lockPath = "/tmp/overlay-real-crontab-tests.lock"
    private let lockFD: Int32
    private let saved: String?

    init() throws {
        guard FileManager.default.isExecutableFile(atPath: Self.crontab) else {
            throw SessionError("the real crontab command is missing: install the cron package (scripts/install-deps.sh)")
        }
        lockFD = open(Self.lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o666)
        guard lockFD >= 0, flock(lockFD, LOCK_EX) == 0 else { throw SessionError("cannot lock \(Self.lockPath)") }
        let listed = try runTool(Self.crontab, ["-l"])
        if listed.status == 0 {
            saved = listed.stdout
        } else if listed.stderr.contains("no crontab for") {
            saved = nil
        } else {
            close(lockFD)
            throw SessionError("crontab -l failed: \(listed.stderr)")
        }
    }

    /// Replaces the crontab with `text` using the real command.
    func set(_ text: String) throws {
        let result = try runTool(Self.crontab, ["-"], input: text)
        guard result.status == 0 else { throw SessionError("crontab - refused the test's crontab: \(result.stderr)") }
    }

    /// The crontab as `crontab -l` prints it.
    func listed() throws -> String {
        try runTool(Self.crontab, ["-l"]).stdout
    }

    /// Puts the saved crontab back and releases the lock.
    func restore() {
        if let saved {
            _ = try? runTool(Self.crontab, ["-"], input: saved)
        } else {
            _ = try? runTool(Self.crontab, ["-r"])
        }
        flock(lockFD, LOCK_UN)
        close(lockFD)
    }
}

/// A test precondition that failed (the tool is missing, the lock is unavailable).
struct SessionError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

extension Tag {
    /// Tests that wait for the real cron daemon (up to about a minute).
    @Tag static var slow: Self
}

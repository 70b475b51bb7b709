import Foundation

/// Runs the system `crontab` command with a time limit.
///
/// It runs as a `ChildProcess`: input and output in files rather than pipes, so a
/// large crontab can never deadlock the child against a full pipe buffer.
struct CrontabProcess: Sendable {
    /// Absolute path of the `crontab` executable.
    var executable: String
    /// Seconds before the command is killed.
    var timeout: Double

    /// What one run produced.
    struct Result: Sendable {
        var status: Int32
        var stdout: Data
        var stderr: String
    }

    /// Finds `crontab` on `PATH` (then in /usr/bin), or fails saying which package provides it.
    static func locate(
        environment: [String: String] = ProcessInfo.processInfo.environment, timeout: Double
    ) throws(CrontabError) -> CrontabProcess {
        let dirs = (environment["PATH"] ?? "").split(separator: ":").map(String.init) + ["/usr/bin", "/bin"]
        for dir in dirs where !dir.isEmpty {
            let path = dir + "/crontab"
            if FileManager.default.isExecutableFile(atPath: path) { return CrontabProcess(executable: path, timeout: timeout) }
        }
        throw .crontabMissing
    }

    /// Runs `crontab ARGS`, feeding `input` on stdin when given.
    func run(_ arguments: [String], input: Data? = nil) throws(CrontabError) -> Result {
        let command = (["crontab"] + arguments).joined(separator: " ")
        var child = ChildProcess(executable, arguments, input: input ?? Data())
        child.timeout = .milliseconds(Int64(timeout * 1000))
        let result: ChildResult
        do {
            result = try child.run()
        } catch .cannotStart(_, let code) where code == ENOENT {
            throw .crontabMissing
        } catch {
            throw .io(path: executable, message: "cannot run '\(command)': \(error)")
        }
        if result.timedOut { throw .timedOut(command: command, seconds: timeout) }
        // A crontab read back cut short would be written back cut short: refuse instead.
        if result.output.count >= child.outputLimit {
            throw .io(
                path: executable,
                message: "'\(command)' printed more than \(child.outputLimit) bytes; refusing to rewrite a crontab that large")
        }
        return Result(status: result.status, stdout: result.output, stderr: String(decoding: result.errors, as: UTF8.self))
    }
}

import Foundation

/// Runs the system `crontab` command with a time limit.
///
/// Input and output go through temporary files rather than pipes, so a large
/// crontab can never deadlock the child against a full pipe buffer.
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
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("overlay-crontab-\(UUID().uuidString)")
        do {
            try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
        } catch {
            throw .io(path: scratch.path, message: "cannot create a scratch directory: \(error.localizedDescription)")
        }
        defer { try? FileManager.default.removeItem(at: scratch) }
        let inURL = scratch.appendingPathComponent("stdin")
        let outURL = scratch.appendingPathComponent("stdout")
        let errURL = scratch.appendingPathComponent("stderr")
        let process = Process()
        do {
            try (input ?? Data()).write(to: inURL)
            try Data().write(to: outURL)
            try Data().write(to: errURL)
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = arguments
            process.standardInput = try FileHandle(forReadingFrom: inURL)
            process.standardOutput = try FileHandle(forWritingTo: outURL)
            process.standardError = try FileHandle(forWritingTo: errURL)
        } catch {
            throw .io(path: scratch.path, message: "cannot prepare '\(command)': \(error.localizedDescription)")
        }
        let finished = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in finished.signal() }
        do {
            try process.run()
        } catch {
            throw .crontabMissing
        }
        if finished.wait(timeout: .now() + timeout) == .timedOut {
            process.terminate()
            if finished.wait(timeout: .now() + 2) == .timedOut {
                kill(process.processIdentifier, SIGKILL)
                _ = finished.wait(timeout: .now() + 2)
            }
            throw .timedOut(command: command, seconds: timeout)
        }
        let stdout = (try? Data(contentsOf: outURL)) ?? Data()
        let stderr = String(decoding: (try? Data(contentsOf: errURL)) ?? Data(), as: UTF8.self)
        return Result(status: process.terminationStatus, stdout: stdout, stderr: stderr)
    }
}

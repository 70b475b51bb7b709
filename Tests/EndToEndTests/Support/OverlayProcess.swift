import Foundation

/// What one run of the built `overlay` binary printed and returned.
struct OverlayResult {
    var status: Int32
    var stdout: String
    var stderr: String

    /// stdout parsed as a JSON object.
    var json: [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(stdout.utf8))) as? [String: Any] ?? [:]
    }
}

/// Paths of the package under test.
enum PackagePaths {
    /// The package root (the repo, which is also the example overlay).
    static let root: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// The built `overlay` binary beside the test bundle.
    static var binary: URL {
        if let override = ProcessInfo.processInfo.environment["OVERLAY_BIN"] { return URL(fileURLWithPath: override) }
        var dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        // xctest on Linux runs `.build/debug/<name>.xctest`; Swift Testing may run from the same folder.
        for _ in 0..<3 {
            let candidate = dir.appendingPathComponent("overlay")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        return root.appendingPathComponent(".build/debug/overlay")
    }
}

/// Runs the real `overlay` binary with `args`, extra environment and an optional stdin.
@discardableResult
func runOverlay(
    _ args: [String], env: [String: String] = [:], cwd: URL? = nil, stdin: Data? = nil, timeout: TimeInterval = 120
) throws -> OverlayResult {
    // The machine running the tests may be named like a fleet host (ezra, forge, …): every run
    // gets a host name of its own unless the test sets one.
    var env = env
    if env["OVERLAY_HOSTNAME"] == nil { env["OVERLAY_HOSTNAME"] = "overlay-test-machine" }
    return try runProcess(PackagePaths.binary.path, args, env: env, cwd: cwd, stdin: stdin, timeout: timeout)
}

/// Runs any program and captures its output (output is drained concurrently to avoid pipe stalls).
@discardableResult
func runProcess(
    _ executable: String, _ args: [String], env: [String: String] = [:], cwd: URL? = nil, stdin: Data? = nil,
    timeout: TimeInterval = 120
) throws -> OverlayResult {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = args
    var environment = ProcessInfo.processInfo.environment
    for (k, v) in env { environment[k] = v }
    process.environment = environment
    if let cwd { process.currentDirectoryURL = cwd }
    let out = Pipe()
    let err = Pipe()
    process.standardOutput = out
    process.standardError = err
    let input = Pipe()
    process.standardInput = stdin == nil ? FileHandle.nullDevice : input
    try process.run()
    if let stdin {
        input.fileHandleForWriting.write(stdin)
        try? input.fileHandleForWriting.close()
    }
    let group = DispatchGroup()
    nonisolated(unsafe) var outData = Data()
    nonisolated(unsafe) var errData = Data()
    group.enter()
    DispatchQueue.global().async {
        outData = out.fileHandleForReading.readDataToEndOfFile()
        group.leave()
    }
    group.enter()
    DispatchQueue.global().async {
        errData = err.fileHandleForReading.readDataToEndOfFile()
        group.leave()
    }
    if group.wait(timeout: .now() + timeout) == .timedOut {
        process.terminate()
        group.wait()
    }
    process.waitUntilExit()
    return OverlayResult(
        status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
        stderr: String(decoding: errData, as: UTF8.self))
}

/// A fresh temporary directory, removed by the caller with `cleanup`.
func makeTempDir(_ name: String = "overlay-test") throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("\(name)-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

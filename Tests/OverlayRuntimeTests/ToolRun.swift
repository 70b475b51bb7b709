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

extension Tag {
    /// Tests that wait for the real cron daemon (up to about a minute).
    @Tag static var slow: Self
}

import Foundation

/// Writes to stdout and stderr (human text to stdout, logs and progress to stderr).
enum Output {
    /// Writes `text` and a newline to stdout.
    static func line(_ text: String) {
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
    }

    /// Writes `text` as-is to stdout.
    static func raw(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }

    /// Writes bytes as-is to stdout (megabytes of JSON need no trip through String).
    static func raw(_ bytes: [UInt8]) {
        FileHandle.standardOutput.write(Data(bytes))
    }

    /// Writes an `overlay: error:` line to stderr.
    static func error(_ text: String) {
        FileHandle.standardError.write(Data(("overlay: error: " + text + "\n").utf8))
    }

    /// Writes a log line to stderr.
    static func log(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }
}

/// An operational failure the CLI reports with its own exit code.
struct CommandFailure: Error, CustomStringConvertible {
    var description: String
    var exitCode: Int32 = 1

    /// The failure of a command that does not exist yet.
    static func notImplemented(_ command: String) -> CommandFailure {
        CommandFailure(description: "'overlay \(command)' is not implemented yet", exitCode: 2)
    }
}

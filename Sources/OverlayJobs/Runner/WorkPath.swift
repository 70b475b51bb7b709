import Foundation

/// Paths in a playbook are relative to the run's working directory unless absolute.
enum WorkPath {
    /// `path` made absolute against `workdir` (`~/` is the user's home).
    static func resolve(_ path: String, in workdir: String) -> String {
        if path.hasPrefix("/") { return path }
        if path == "~" || path.hasPrefix("~/") {
            let home = ProcessInfo.processInfo.environment["HOME"] ?? NSHomeDirectory()
            return home + path.dropFirst()
        }
        return workdir + "/" + path
    }
}

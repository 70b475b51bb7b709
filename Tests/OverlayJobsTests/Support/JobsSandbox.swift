import Foundation
import OverlayCore
import OverlayRuntime

@testable import OverlayJobs

/// A temporary folder with a playbook, a jobs area and a working directory, for running
/// real playbooks through the library.
struct JobsSandbox {
    let root: URL
    var jobs: JobsDirectory { JobsDirectory(path: root.path + "/state/jobs") }
    var workdir: String { root.path + "/work" }
    var playbookPath: String { root.path + "/playbooks/test.yaml" }

    init() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("overlay-jobs-\(UUID().uuidString)")
        try FileManager.default.createDirectory(atPath: root.path + "/playbooks", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: root.path + "/work", withIntermediateDirectories: true)
    }

    /// Parses a playbook; fails the test on any error.
    func playbook(_ yaml: String) throws -> JobPlaybook {
        try yaml.write(toFile: playbookPath, atomically: true, encoding: .utf8)
        let parse = JobPlaybook.load(url: URL(fileURLWithPath: playbookPath), path: "playbooks/test.yaml")
        guard parse.isRunnable else { throw SandboxError(parse.diagnostics.map(\.description).joined(separator: "\n")) }
        return parse.playbook
    }

    /// A request with short grace periods and backoffs, so tests do not wait.
    func request(_ playbook: JobPlaybook, parallel: Int = 4) -> RunRequest {
        var r = RunRequest(playbook: playbook, playbookPath: playbookPath, host: nil, jobs: jobs)
        r.workdir = workdir
        r.consentLevels = ["training"]
        r.settings.parallel = parallel
        r.settings.killGrace = .seconds(1)
        r.settings.backoff = .milliseconds(10)
        r.settings.pollInterval = .milliseconds(20)
        return r
    }

    /// Runs `yaml` to its end.
    func run(_ yaml: String, parallel: Int = 4) throws -> RunReport {
        try Jobs.run(request(try playbook(yaml), parallel: parallel))
    }

    /// A file in the working directory.
    func write(_ relative: String, _ text: String) throws {
        let path = workdir + "/" + relative
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try text.write(toFile: path, atomically: true, encoding: .utf8)
    }

    func read(_ relative: String) -> String? { try? String(contentsOfFile: workdir + "/" + relative, encoding: .utf8) }

    func remove() {
        // Promoted versions are read-only files in writable folders: removable.
        try? FileManager.default.removeItem(at: root)
    }
}

struct SandboxError: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
}

extension RunReport {
    /// The step called `name`.
    func step(_ name: String) -> StepRecord? { steps.first { $0.name == name } }
}

/// True while `pid` is a live (not zombie) process. PID 1 here may not reap orphans.
func isAlive(_ pid: Int32) -> Bool {
    guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8), let close = stat.lastIndex(of: ")") else {
        return false
    }
    let state = stat[stat.index(close, offsetBy: 2)]
    return state != "Z" && state != "X"
}

/// Waits up to `seconds` for `condition`.
func eventually(_ seconds: Double = 20, _ condition: () -> Bool) -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        if condition() { return true }
        usleep(20_000)
    }
    return condition()
}

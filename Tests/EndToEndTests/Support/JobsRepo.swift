import Foundation

/// A folder with one job playbook and a state dir, for running `overlay jobs` as a user would.
struct JobsRepo {
    let root: URL
    var state: String { root.path + "/state" }
    var workdir: String { state + "/jobs/workspaces/" + name }
    let name: String
    var env: [String: String] { ["OVERLAY_STATE_DIR": state, "HOME": root.path + "/home"] }

    /// Writes `playbook` as `playbooks/<name>.yaml`.
    init(name: String = "test", playbook: String) throws {
        self.name = name
        root = try makeTempDir("overlay-jobs-e2e")
        try FileManager.default.createDirectory(atPath: root.path + "/playbooks", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: root.path + "/home", withIntermediateDirectories: true)
        try playbook.write(toFile: root.path + "/playbooks/\(name).yaml", atomically: true, encoding: .utf8)
    }

    /// `overlay jobs ARGS --root ROOT`, waited for.
    @discardableResult
    func jobs(_ args: [String], timeout: TimeInterval = 120) throws -> OverlayResult {
        try runOverlay(["jobs"] + args + ["--root", root.path], env: env, timeout: timeout)
    }

    /// `overlay jobs run playbooks/NAME.yaml ARGS` started in the background, its output in files.
    func start(_ args: [String] = []) throws -> Process {
        let process = Process()
        process.executableURL = PackagePaths.binary
        process.arguments = ["jobs", "run", "playbooks/\(name).yaml", "--root", root.path] + args
        var environment = ProcessInfo.processInfo.environment
        for (k, v) in env { environment[k] = v }
        process.environment = environment
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle(forWritingAtPath: try logFile("runner.out"))
        process.standardError = FileHandle(forWritingAtPath: try logFile("runner.err"))
        try process.run()
        return process
    }

    private func logFile(_ name: String) throws -> String {
        let path = root.path + "/" + name
        _ = FileManager.default.createFile(atPath: path, contents: nil)
        return path
    }

    /// `overlay jobs status RUN --format json`, parsed.
    func status(_ run: Int = 1) throws -> [String: Any] { try jobs(["status", String(run), "--format", "json"]).json }

    /// The status of one step of a run.
    func stepStatus(_ step: String, run: Int = 1) throws -> String? {
        ((try status(run)["steps"] as? [String: Any])?[step] as? [String: Any])?["status"] as? String
    }

    /// A file in the working directory.
    func read(_ relative: String) -> String? { try? String(contentsOfFile: workdir + "/" + relative, encoding: .utf8) }

    func remove() { try? FileManager.default.removeItem(at: root) }
}

/// Waits up to `seconds` for `condition`.
func waitFor(_ seconds: Double = 30, _ condition: () throws -> Bool) rethrows -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        if try condition() { return true }
        usleep(50_000)
    }
    return try condition()
}

/// True while `pid` is a live (not zombie) process.
func processIsAlive(_ pid: Int32) -> Bool {
    guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8), let close = stat.lastIndex(of: ")") else {
        return false
    }
    let state = stat[stat.index(close, offsetBy: 2)]
    return state != "Z" && state != "X"
}

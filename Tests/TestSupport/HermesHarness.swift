import Foundation
import OverlayRuntime

/// The published Hermes harness (`hermes-agent` from PyPI) in a virtualenv that tests share.
///
/// The venv lives outside the repo, in `~/.cache/overlay-tests/hermes-<version>` (or under
/// `$OVERLAY_TEST_CACHE`), keyed by version and reused once complete. Two test processes that
/// race to create it serialise on a lock file beside it; a half-made venv (a killed install)
/// has no completion mark and is rebuilt. When the venv cannot be made (no python3-venv, pip
/// cannot reach the registry or cannot install the release) the tests that need the harness
/// are skipped, each with the reason, and nothing half-made is kept.
public struct HermesHarness: Sendable {
    /// The release the tests were written against.
    public static let version = "0.19.0"

    /// The venv folder.
    public let venv: String
    public var python: String { venv + "/bin/python" }
    public var hermes: String { venv + "/bin/hermes" }

    /// The shared venv, created on first use; nil with the reason when the registry is unreachable.
    public static func shared() throws -> (harness: HermesHarness?, skipReason: String?) {
        let env = ProcessInfo.processInfo.environment
        let cache = env["OVERLAY_TEST_CACHE"] ?? ((env["HOME"] ?? NSHomeDirectory()) + "/.cache/overlay-tests")
        try FileManager.default.createDirectory(atPath: cache, withIntermediateDirectories: true)
        let venv = cache + "/hermes-\(version)"
        let done = venv + "/.overlay-complete"
        if FileManager.default.fileExists(atPath: done) { return (HermesHarness(venv: venv), nil) }
        let lockFD = open(venv + ".lock", O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard lockFD >= 0, flock(lockFD, LOCK_EX) == 0 else { throw SessionError("cannot lock \(venv).lock") }
        defer {
            flock(lockFD, LOCK_UN)
            close(lockFD)
        }
        if FileManager.default.fileExists(atPath: done) { return (HermesHarness(venv: venv), nil) }
        try? FileManager.default.removeItem(atPath: venv)
        let made = try run("/usr/bin/env", ["python3", "-m", "venv", venv], timeout: 300)
        guard made.status == 0 else {
            try? FileManager.default.removeItem(atPath: venv)
            return (nil, "python3 -m venv failed (install python3-venv: scripts/install-deps.sh): \(made.text.suffix(300))")
        }
        let pip = try run(venv + "/bin/pip", ["install", "--disable-pip-version-check", "-q", "hermes-agent==\(version)"], timeout: 1800)
        guard pip.status == 0 else {
            let unreachable = [
                "NewConnectionError", "Temporary failure in name resolution", "Network is unreachable", "ConnectTimeout",
                "Could not find a version", "No matching distribution", "Connection refused", "ProxyError",
            ]
            if unreachable.contains(where: pip.text.contains) {
                try? FileManager.default.removeItem(atPath: venv)
                return (nil, "pip cannot reach the registry to install hermes-agent==\(version): \(pip.text.suffix(300))")
            }
            try? FileManager.default.removeItem(atPath: venv)
            return (nil, "pip install hermes-agent==\(version) failed: \(pip.text.suffix(600))")
        }
        FileManager.default.createFile(atPath: done, contents: Data(version.utf8))
        return (HermesHarness(venv: venv), nil)
    }

    /// The environment a harness command runs in: its home, a scratch `$HOME`, no proxies of ours.
    public func environment(home: String, scratchHome: String, extra: [String: String] = [:]) -> [String: String] {
        var env = [
            "HERMES_HOME": home, "HOME": scratchHome, "PATH": venv + "/bin:/usr/local/bin:/usr/bin:/bin", "LANG": "C.UTF-8",
            "NO_COLOR": "1", "TERM": "dumb", "PYTHONDONTWRITEBYTECODE": "1",
        ]
        env.merge(extra) { _, new in new }
        return env
    }

    /// Runs `hermes ARGS` for the harness home `home`.
    public func hermes(
        _ arguments: [String], home: String, scratchHome: String, extra: [String: String] = [:], timeout: Int = 120
    )
        throws -> RunOutput
    {
        try Self.run(hermes, arguments, environment: environment(home: home, scratchHome: scratchHome, extra: extra), timeout: timeout)
    }

    /// Runs a Python snippet with the venv's interpreter (the harness's modules importable).
    public func python(
        _ script: String, arguments: [String] = [], home: String, scratchHome: String, extra: [String: String] = [:],
        input: String? = nil, timeout: Int = 120
    ) throws -> RunOutput {
        try Self.run(
            python, ["-c", script] + arguments, environment: environment(home: home, scratchHome: scratchHome, extra: extra),
            input: input, timeout: timeout)
    }

    /// A finished command: exit status, stdout and stderr.
    public struct RunOutput: Sendable {
        public var status: Int32
        public var stdout: String
        public var stderr: String
        public var text: String { stdout + stderr }
    }

    static func run(
        _ executable: String, _ arguments: [String], environment: [String: String]? = nil, input: String? = nil, timeout: Int
    )
        throws -> RunOutput
    {
        var child = ChildProcess(executable, arguments, environment: environment, input: input.map { Data($0.utf8) })
        child.timeout = .seconds(timeout)
        child.outputLimit = 64 << 20
        let result = try child.run()
        return RunOutput(
            status: result.timedOut ? -1 : result.status, stdout: String(decoding: result.output, as: UTF8.self),
            stderr: String(decoding: result.errors, as: UTF8.self))
    }
}

import Foundation
import OverlayCore
import OverlayRuntime

/// How the runner runs: limits and timings, each with the default the CLI uses.
public struct RunSettings: Sendable {
    /// Steps running at once (default: the machine's cores).
    public var parallel = max(ProcessInfo.processInfo.activeProcessorCount, 1)
    /// Seconds to wait for another run of the playbook to end (0: refuse at once).
    public var lockTimeout: Double = 0
    /// A step's time limit when it declares none.
    public var defaultTimeout: Duration = .seconds(3600)
    /// After SIGTERM, how long a step's process group has before SIGKILL.
    public var killGrace: Duration = .seconds(5)
    /// The wait before the first retry when a step declares no `backoff`; doubled for each next one.
    public var backoff: Duration = .seconds(2)
    /// The longest wait between retries.
    public var maxBackoff: Duration = .seconds(300)
    /// How often the runner looks for a cancel request from another process.
    public var pollInterval: Duration = .milliseconds(100)

    public init() {}
}

/// Everything one run needs to know about where it runs.
public struct RunRequest: Sendable {
    /// The playbook, variables already substituted for the host.
    public var playbook: JobPlaybook
    /// The playbook file, absolute (its folder is `OVERLAY_PLAYBOOK_DIR`).
    public var playbookPath: String
    /// The inventory host it runs for, when there is one.
    public var host: String?
    /// The state dir's jobs area.
    public var jobs: JobsDirectory
    /// The working directory (default: the playbook's workspace in the jobs area).
    public var workdir: String?
    /// The consent levels `provenance:` accepts (nil: no data policy).
    public var consentLevels: [String]?
    /// The environment steps start from (ours by default).
    public var environment: [String: String] = ProcessInfo.processInfo.environment
    public var settings = RunSettings()
    public var clock: any WallClock = SystemClock()
    /// Gates a resume reopened because their inputs changed, with why (noted in the verdict).
    var regated: [String: String] = [:]

    public init(playbook: JobPlaybook, playbookPath: String, host: String?, jobs: JobsDirectory) {
        self.playbook = playbook
        self.playbookPath = playbookPath
        self.host = host
        self.jobs = jobs
    }

    /// The working directory this run uses.
    public var resolvedWorkdir: String { workdir ?? jobs.workspace(playbook: playbook.name) }
}

/// A snapshot of a run in progress, for a live display.
public struct RunProgress: Sendable {
    public var run: Int64
    public var total: Int
    /// Steps in a final state.
    public var finished: Int
    /// Steps running now, in playbook order.
    public var running: [String]
    /// Steps due but waiting for their resource (held elsewhere on the host): name, resource.
    public var waiting: [(step: String, resource: String)] = []
    /// Since the run (or the resume) started.
    public var elapsed: Duration
}

import Foundation

/// The target state of one host: the golden state rendered with that host's variables.
///
/// This is what `apply` makes true on disk. Every path is absolute and already
/// checked to lie inside a declared home and outside every protected path.
public struct RenderedState: Sendable {
    /// The inventory host name.
    public var host: String
    /// Declared homes by name (`hermes` → `/home/u/.hermes`), absolute.
    public var homes: [String: String]
    /// Protected paths, absolute: never written, deleted or followed.
    public var protected: [String]
    /// Files to place.
    public var files: [RenderedFile]
    /// Handlers to run after the switch when a watched path changed.
    public var handlers: [RenderedHandler]
    /// Cron entries for this host's managed crontab block (jobs and the deadman check).
    public var cronJobs: [RenderedCronJob]
    /// The deadman settings, when the golden state declares them.
    public var deadman: RenderedDeadman?
    /// Providers the host is allowed to use (already checked against the policy).
    public var providers: [String]
    /// The harness's own scheduled jobs for this host (`agent_jobs:`), nil when none are declared.
    public var agentJobs: RenderedAgentJobs? = nil
    /// The harness's managed scope (`managed:`), nil when not declared. Its files are in `files`
    /// (copies in the home `RenderedManagedScope.homeName`); this says how its folder is made.
    public var managedScope: RenderedManagedScope? = nil

    public init(
        host: String, homes: [String: String], protected: [String], files: [RenderedFile],
        handlers: [RenderedHandler] = [], cronJobs: [RenderedCronJob] = [], deadman: RenderedDeadman? = nil,
        providers: [String] = []
    ) {
        self.host = host
        self.homes = homes
        self.protected = protected
        self.files = files
        self.handlers = handlers
        self.cronJobs = cronJobs
        self.deadman = deadman
        self.providers = providers
    }
}

/// One managed file with its final content.
public struct RenderedFile: Sendable, Equatable {
    /// Absolute destination path inside a home.
    public var dest: String
    /// The bytes to write (templates rendered, secrets resolved).
    public var content: Data
    /// Permission bits (`0o600`); nil means 0644.
    public var mode: UInt16?
    /// True: a symlink into the current generation. False: copied in place.
    public var link: Bool
    /// True when the content holds a resolved secret: written 0600, never printed.
    public var containsSecret: Bool
    /// The repo-relative source, for messages.
    public var source: String
    /// For a file with secrets: its content with each secret written `<redacted>`, line for
    /// line, so `--diff` can show what changed around them.
    public var redactedContent: Data?
    /// `create_only: true`: written only where the dest is missing, never overwritten, never
    /// drift, never removed; not part of a generation (the engine's create-only step places it).
    public var createOnly = false
    /// A file with a secret that another user must read through its group (the managed scope's
    /// `.env`, read by the agent): its mode keeps the group's read bit.
    public var groupReadable = false

    public init(
        dest: String, content: Data, mode: UInt16? = nil, link: Bool = true, containsSecret: Bool = false, source: String,
        redactedContent: Data? = nil
    ) {
        self.dest = dest
        self.content = content
        self.mode = mode
        self.link = link
        self.containsSecret = containsSecret
        self.source = source
        self.redactedContent = redactedContent
    }
}

/// A command run after the switch when one of its watched paths changed.
public struct RenderedHandler: Sendable, Equatable {
    public var name: String
    /// Shell command, variables already substituted; run with `/bin/sh -c`.
    public var run: String
    /// Absolute paths whose change triggers the handler.
    public var onChange: [String]
    /// Its own time limit (`timeout:`), or nil for the runner's default.
    public var timeoutSeconds: Int?

    public init(name: String, run: String, onChange: [String], timeoutSeconds: Int? = nil) {
        self.name = name
        self.run = run
        self.onChange = onChange
        self.timeoutSeconds = timeoutSeconds
    }
}

/// One entry of the host's managed crontab block.
public struct RenderedCronJob: Sendable, Equatable {
    /// Unique job name; the block is keyed by it.
    public var name: String
    /// The five-field schedule or macro, as written.
    public var schedule: String
    /// The command, variables substituted.
    public var command: String
    /// The user column (only for `file:` targets such as /etc/cron.d).
    public var user: String?
    /// Environment assignments placed before the command.
    public var env: [String: String]
    /// Set only on the deadman check the engine installs: the settings it checks. They travel
    /// with the job into the generation's cron record, so the check reads them from the live
    /// generation, and a changed setting builds a new generation as a changed schedule does.
    public var deadman: RenderedDeadman?

    public init(
        name: String, schedule: String, command: String, user: String? = nil, env: [String: String] = [:],
        deadman: RenderedDeadman? = nil
    ) {
        self.name = name
        self.schedule = schedule
        self.command = command
        self.user = user
        self.env = env
        self.deadman = deadman
    }
}

/// The deadman switch settings of one host (SPEC §3.6).
public struct RenderedDeadman: Sendable, Equatable {
    /// The name of the cron job that runs the check in the host's managed block (reserved).
    public static let checkJobName = "overlay-deadman"

    public var stamp: String
    /// Seconds after which the stamp counts as stale.
    public var maxAge: Int
    /// Seconds between checks (installed as a cron entry).
    public var every: Int
    public var restart: String
    public var maxRetries: Int
    public var rollback: Bool
    public var alert: String?

    public init(stamp: String, maxAge: Int, every: Int, restart: String, maxRetries: Int, rollback: Bool, alert: String?) {
        self.stamp = stamp
        self.maxAge = maxAge
        self.every = every
        self.restart = restart
        self.maxRetries = maxRetries
        self.rollback = rollback
        self.alert = alert
    }
}

/// The harness's managed scope of one host: a folder (`/etc/hermes`, or `managed_dir`) whose
/// `config.yaml` and `.env` win over the user's and which `hermes config set` refuses to change.
public struct RenderedManagedScope: Sendable, Equatable, Codable {
    /// The name of the home the managed scope's files are placed in (reserved).
    public static let homeName = "hermes-managed"

    /// The folder, absolute.
    public var dir: String
    /// The group that reads the `.env` (a name), nil: the group of the harness's home.
    public var group: String?
    /// The harness's home (`HERMES_HOME`), for the `.managed` marker's folders.
    public var hermesHome: String
    /// True when the `.managed` marker is written (every config write refused).
    public var lockConfig: Bool
    /// True when a `.env` is written.
    public var hasEnv: Bool

    public init(dir: String, group: String?, hermesHome: String, lockConfig: Bool, hasEnv: Bool) {
        self.dir = dir
        self.group = group
        self.hermesHome = hermesHome
        self.lockConfig = lockConfig
        self.hasEnv = hasEnv
    }
}

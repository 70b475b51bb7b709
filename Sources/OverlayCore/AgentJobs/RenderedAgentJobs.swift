/// One host's declared agent jobs, rendered: what apply reconciles into the harness's
/// `<home>/cron/jobs.json`, what a generation records and a bundle carries.
public struct RenderedAgentJobs: Sendable, Equatable, Codable {
    /// The harness's home (`HERMES_HOME`, the golden state's home named `hermes`), absolute.
    public var home: String
    /// The IANA zone of the host's `config.yaml` `timezone:` (nil: the machine's local zone, as
    /// the harness falls back to). A naive one-shot time is read in it.
    public var timezone: String?
    /// The jobs, in declaration order.
    public var jobs: [RenderedAgentJob]

    public init(home: String, timezone: String?, jobs: [RenderedAgentJob]) {
        self.home = home
        self.timezone = timezone
        self.jobs = jobs
    }

    /// The harness's jobs file.
    public var jobsFile: String { home + "/cron/jobs.json" }
    /// The harness's lock beside it (`cron/.jobs.lock`).
    public var lockFile: String { home + "/cron/.jobs.lock" }
}

/// One declared agent job with the host's variables substituted: exactly the fields overlay
/// owns in the job's `jobs.json` entry.
public struct RenderedAgentJob: Sendable, Equatable, Codable {
    /// The declared name (the key).
    public var name: String
    /// The prompt ("" when the job only loads skills or runs a script).
    public var prompt: String
    /// The schedule text, in the harness's grammar.
    public var schedule: String
    /// The script, as the harness stores it (relative to `<home>/scripts`, or absolute).
    public var script: String?
    public var noAgent: Bool
    public var model: String?
    public var provider: String?
    public var baseURL: String?
    public var skills: [String]
    /// The deliver value as the harness stores it (comma-joined).
    public var deliver: String
    /// `enabled_toolsets`; nil for the harness's default set.
    public var toolsets: [String]?
    /// Absolute working folder, or nil.
    public var workdir: String?
    /// False installs the job paused.
    public var enabled: Bool

    enum CodingKeys: String, CodingKey {
        case name, prompt, schedule, script, model, provider, skills, deliver, toolsets, workdir, enabled
        case noAgent = "no_agent"
        case baseURL = "base_url"
    }

    public init(
        name: String, prompt: String, schedule: String, script: String? = nil, noAgent: Bool = false, model: String? = nil,
        provider: String? = nil, baseURL: String? = nil, skills: [String] = [], deliver: String = "local",
        toolsets: [String]? = nil, workdir: String? = nil, enabled: Bool = true
    ) {
        self.name = name
        self.prompt = prompt
        self.schedule = schedule
        self.script = script
        self.noAgent = noAgent
        self.model = model
        self.provider = provider
        self.baseURL = baseURL
        self.skills = skills
        self.deliver = deliver
        self.toolsets = toolsets
        self.workdir = workdir
        self.enabled = enabled
    }
}

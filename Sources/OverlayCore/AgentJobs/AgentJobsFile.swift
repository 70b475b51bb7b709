/// A file of the harness's own jobs (`cron/agent-jobs.yaml`): a mapping with one key,
/// `agent_jobs:`, a list of jobs. Its jobs and every problem found in it without a host.
///
/// A file under `cron/` whose root has `agent_jobs:` is an agent-jobs file; the system cron
/// check leaves it alone. `playbooks/site.yaml` lists the files a host gets
/// (`agent_jobs: [cron/agent-jobs.yaml]`).
public struct AgentJobsFile: Sendable {
    /// The root key that marks an agent-jobs file.
    public static let rootKey = "agent_jobs"

    /// The jobs that have a name (possibly with other problems).
    public private(set) var jobs: [AgentJobDefinition] = []
    /// Problems in this file, each at the offending node.
    public private(set) var diagnostics: [Diagnostic] = []

    /// True when `document` is an agent-jobs file (its root mapping has `agent_jobs:`).
    public static func isAgentJobs(_ document: Document) -> Bool {
        document.root?.pairs?.contains { $0.key.scalarText == rootKey } ?? false
    }

    /// Reads the jobs of a parsed document.
    public init(document: Document) {
        guard let root = document.root else { return }
        let file = document.path
        guard let pairs = root.pairs else {
            if !root.isNull {
                diagnostics.append(
                    Diagnostic(
                        file: file, at: root.mark, rule: "agentjobs.type", "an agent-jobs file is a mapping with an 'agent_jobs:' list"))
            }
            return
        }
        for pair in pairs where pair.key.scalarText != Self.rootKey {
            let key = pair.key.scalarText ?? "?"
            diagnostics.append(
                Diagnostic(
                    file: file, at: pair.key.mark, rule: "agentjobs.unknown-key",
                    "unknown key '\(key)' in an agent-jobs file, which only has '\(Self.rootKey):'"))
        }
        guard let list = root[Self.rootKey], !list.isNull else { return }
        guard let items = list.items else {
            diagnostics.append(Diagnostic(file: file, at: list.mark, rule: "agentjobs.type", "'agent_jobs' must be a list of job mappings"))
            return
        }
        var seen: [String: AgentJobDefinition] = [:]
        for item in items {
            var reader = AgentJobReader(file: file, node: item)
            if let job = reader.read() {
                // Literal names without hosts collide on every host: said once here; the
                // render says it per host for the others.
                let key = job.name.lowercased()
                if job.hostsPattern == nil, let first = seen[key] {
                    reader.report(
                        job.marks["name"] ?? job.mark, "agentjobs.duplicate-name",
                        "agent job '\(job.name)' is already declared at \(file):\(first.marks["name"] ?? first.mark); the harness finds jobs by name without regard to case — rename one"
                    )
                } else if job.hostsPattern == nil {
                    seen[key] = job
                }
                jobs.append(job)
            }
            diagnostics += reader.diagnostics
        }
    }
}

/// One declared agent job as written: its nodes (for rendering per host and for locations)
/// and what could be checked without a host.
public struct AgentJobDefinition: Sendable {
    /// The job's name as written (the key that ties it to its `jobs.json` entry).
    public var name: String
    /// The job mapping.
    public var node: Node
    /// The file it came from.
    public var file: String
    public var mark: Mark
    /// Where each key's value is.
    public var marks: [String: Mark]
    /// The `hosts:` pattern, when given (default: every host).
    public var hostsPattern: String?
    /// The schedule parsed as written (nil when templated or invalid).
    public var schedule: AgentSchedule?

    /// The keys a job may have.
    public static let keys = [
        "name", "prompt", "script", "no_agent", "schedule", "model", "provider", "base_url", "skills", "deliver", "toolsets",
        "workdir", "enabled", "hosts",
    ]
}

/// Validates every agent-jobs file under `cron/` (`agent_jobs:`): each file's jobs and their
/// `hosts:` patterns. What needs a host (templated values, the host's time zone, delivery
/// labels, installed scripts, duplicate names per host) is checked by the golden-state render.
public struct AgentJobsCheck: RepoCheck {
    /// Creates the check.
    public init() {}

    /// Every agent-jobs diagnostic that needs no host.
    public func check(_ context: ValidationContext) -> [Diagnostic] {
        var out: [Diagnostic] = []
        for document in context.repo.structured(under: "cron/") where AgentJobsFile.isAgentJobs(document) {
            let file = AgentJobsFile(document: document)
            out += file.diagnostics
            guard let inventory = context.inventory else { continue }
            for job in file.jobs {
                if let pattern = job.hostsPattern, inventory.hosts(matching: pattern).isEmpty {
                    out.append(
                        Diagnostic(
                            file: job.file, at: job.marks["hosts"] ?? job.mark, rule: "agentjobs.unknown-hosts",
                            "hosts pattern '\(pattern)' matches no inventory host, so agent job '\(job.name)' would never be installed; use a host or group name from the inventory"
                        ))
                }
            }
        }
        return out
    }
}

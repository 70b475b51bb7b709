/// Validates every `cron/*.yaml|json` file: each file's jobs, names unique across files,
/// and `hosts:` patterns against the inventory.
public struct CronCheck: RepoCheck {
    /// Creates the check.
    public init() {}

    /// Every cron diagnostic of the repo: per-file problems, duplicate names, unknown hosts.
    public func check(_ context: ValidationContext) -> [Diagnostic] {
        // Agent-jobs files (`agent_jobs:`) are the harness's own jobs: AgentJobsCheck reads them.
        let documents = context.repo.structured(under: "cron/").filter { !AgentJobsFile.isAgentJobs($0) }
        // Each file's own checks need no other file (the hosts patterns only read the
        // inventory): read them on all cores, then merge the names in file order, so the
        // names across files come out as one loop made them. Only what the merge needs is
        // kept of each job, not its whole definition.
        let inventory = context.inventory
        let files = Parallel.map(documents) { document -> (diagnostics: [Diagnostic], jobs: [JobName]) in
            let definitions = CronDefinitionsFile(document: document)
            var diagnostics = definitions.diagnostics
            if let inventory {
                for job in definitions.jobs {
                    if let pattern = job.hosts, inventory.hosts(matching: pattern).isEmpty {
                        diagnostics.append(
                            Diagnostic(
                                file: job.file, at: job.marks["hosts"] ?? job.mark, rule: "cron.unknown-hosts",
                                "hosts pattern '\(pattern)' matches no inventory host, so this job would never be installed; use a host or group name from the inventory"
                            ))
                    }
                }
            }
            return (diagnostics, definitions.jobs.map(JobName.init))
        }
        var out: [Diagnostic] = []
        // The first job of each name: its file and where its name is written.
        var seen: [String: (file: String, mark: Mark)] = [:]
        seen.reserveCapacity(files.reduce(0) { $0 + $1.jobs.count })
        for definitions in files {
            out += definitions.diagnostics
            for job in definitions.jobs {
                if let first = seen[job.name] {
                    out.append(
                        Diagnostic(
                            file: job.file, at: job.nameMark, rule: "cron.duplicate-name",
                            "job name '\(job.name)' is already used at \(first.file):\(first.mark); the managed crontab block is keyed by name — rename one of them"
                        ))
                } else {
                    seen[job.name] = (job.file, job.nameMark)
                }
            }
        }
        return out
    }

    /// Of one job, what the merge across files reads: its name and where it is written.
    struct JobName: Sendable {
        var name: String
        var file: String
        var nameMark: Mark

        init(_ job: CronJobDefinition) {
            name = job.name
            file = job.file
            nameMark = job.marks["name"] ?? job.mark
        }
    }
}

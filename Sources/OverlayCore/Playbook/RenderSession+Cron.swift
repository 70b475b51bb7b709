extension RenderSession {
    /// The cron jobs of the `cron:` files that target this host, commands rendered.
    ///
    /// Jobs with an invalid schedule are left out here: `CronCheck` reports them, and
    /// validation runs before any apply.
    mutating func renderCronJobs() -> [RenderedCronJob] {
        var jobs: [RenderedCronJob] = []
        for pathNode in spec.cron {
            guard let path = pathNode.string else { continue }
            guard let doc = context.repo[path] else {
                error(pathNode, "playbook.missing-source", "cron file '\(path)' does not exist in the repo")
                continue
            }
            let jobNodes = doc.root?["jobs"]?.items ?? []
            for job in CronDefinitionsFile(document: doc).jobs where job.parsedSchedule != nil {
                if let inventory = context.inventory, !inventory.host(host, matches: job.hosts ?? "all") { continue }
                let commandNode =
                    jobNodes.first { $0["name"]?.string == job.name }?["command"]
                    ?? Node.scalar(job.command, at: job.marks["command"] ?? job.mark)
                guard let command = text(commandNode, file: path) else { continue }
                var rendered = job.rendered
                rendered.command = command
                jobs.append(rendered)
            }
        }
        return jobs
    }
}

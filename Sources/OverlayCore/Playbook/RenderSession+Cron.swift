extension RenderSession {
    /// The cron jobs of the `cron:` files that target this host, commands rendered.
    mutating func renderCronJobs() -> [RenderedCronJob] {
        var jobs: [RenderedCronJob] = []
        for pathNode in spec.cron {
            guard let path = pathNode.string else { continue }
            guard let doc = context.repo[path] else {
                error(pathNode, "playbook.missing-source", "cron file '\(path)' does not exist in the repo")
                continue
            }
            for job in doc.root?["jobs"]?.items ?? [] {
                guard let name = job["name"]?.string, let schedule = job["schedule"]?.string,
                    let commandNode = job["command"]
                else { continue }
                let pattern = job["hosts"]?.string ?? "all"
                if let inventory = context.inventory, !inventory.hosts(matching: pattern).contains(host) { continue }
                guard let command = text(commandNode, file: path) else { continue }
                var env: [String: String] = [:]
                for pair in job["env"]?.pairs ?? [] { env[pair.key.value.keyString] = pair.value.value.renderedText }
                jobs.append(RenderedCronJob(name: name, schedule: schedule, command: command, user: job["user"]?.string, env: env))
            }
        }
        return jobs
    }
}

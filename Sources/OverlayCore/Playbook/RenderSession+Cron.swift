extension RenderSession {
    /// The cron jobs of the `cron:` files that target this host, commands rendered.
    ///
    /// Jobs with an invalid schedule are left out here: `CronCheck` reports them, and
    /// validation runs before any apply.
    mutating func renderCronJobs() -> [RenderedCronJob] {
        var jobs: [RenderedCronJob] = []
        var emptyFiles: [String] = []
        for pathNode in spec.cron {
            guard let path = pathNode.string else { continue }
            guard let doc = context.repo[path] else {
                error(pathNode, "playbook.missing-source", "cron file '\(path)' does not exist in the repo")
                continue
            }
            if Self.declaresNothing(doc) { emptyFiles.append(path) }
            let jobNodes = doc.root?["jobs"]?.items ?? []
            for job in CronDefinitionsFile(document: doc).jobs where job.parsedSchedule != nil {
                if let inventory = context.inventory, !inventory.host(host, matches: job.hosts ?? "all") { continue }
                if job.name == RenderedDeadman.checkJobName && spec.deadman != nil {
                    error(
                        at: job.marks["name"] ?? job.mark, "cron.duplicate-name",
                        "cron job name '\(job.name)' is reserved for the deadman check that 'deadman:' in \(spec.file) installs; rename the job",
                        file: path)
                    continue
                }
                let commandNode =
                    jobNodes.first { $0["name"]?.string == job.name }?["command"]
                    ?? Node.scalar(job.command, at: job.marks["command"] ?? job.mark)
                guard let command = text(commandNode, file: path) else { continue }
                if command != (commandNode.scalarText ?? commandNode.string),
                    !checkRenderedCommand(command, node: commandNode, file: path) || !checkRenderedLength(job, command, commandNode, path)
                        || !checkRenderedSecret(command, node: commandNode, what: "the command", rule: "cron.secret-reference", file: path)
                {
                    continue
                }
                var rendered = job.rendered
                rendered.command = command
                jobs.append(rendered)
            }
        }
        if jobs.isEmpty, let empty = emptyFiles.first {
            diagnostics.append(
                Diagnostic(
                    file: empty, at: .start, .warning, rule: "cron.empty-file",
                    "\(empty) is empty (no jobs written at all), so host '\(host)' gets no cron jobs: apply would empty its managed crontab block, removing every job it installed there; if that is meant, write 'jobs: []'"
                ))
        }
        return jobs
    }

    /// True for a cron file that parsed but says nothing: no bytes, only comments, `null`, or
    /// `jobs:` without a value. (A truncated checkout looks like this; `jobs: []` is deliberate.)
    static func declaresNothing(_ doc: Document) -> Bool {
        guard doc.diagnostics.errorCount == 0, let root = doc.root else { return false }
        if root.isNull { return true }
        guard let pairs = root.pairs else { return false }
        return pairs.isEmpty || (root["jobs"]?.isNull ?? false)
    }

    /// A command can only be checked for cron's `%` and for line breaks once the host's
    /// variables are in: `CronCheck` sees the text as written. Returns false (and reports
    /// the problem, rendered for this host) when the rendered command cannot go on a line.
    mutating func checkRenderedCommand(_ command: String, node: Node, file: String) -> Bool {
        var found: [Diagnostic] = []
        if !CronText.checkControl(command, node: node, what: "command", file: file, into: &found) {
            CronText.checkPercent(command, node: node, file: file, into: &found)
        }
        for d in found {
            error(
                node, d.rule,
                "rendered for host '\(host)', the command is '\(command.debugDescription.dropFirst().dropLast())': \(d.message); the character comes from a variable, so fix that variable's value",
                file: file)
        }
        return found.isEmpty
    }

    /// Debian cron's limit on the command field, measured on the host's rendered command (a
    /// command without variables is measured once, by `CronCheck`).
    mutating func checkRenderedLength(_ job: CronJobDefinition, _ command: String, _ node: Node, _ file: String) -> Bool {
        let bytes = CronCommandField.render(command: command, env: job.env).utf8.count
        guard let problem = CronCommandField.lengthProblem(bytes: bytes) else { return true }
        error(node, "cron.line-too-long", "job '\(job.name)' rendered for host '\(host)': \(problem)", file: file)
        return false
    }
}

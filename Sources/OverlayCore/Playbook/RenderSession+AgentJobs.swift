import Foundation

extension RenderSession {
    /// The `agent_jobs:` files' jobs for this host, rendered and checked against what only
    /// the host knows: its time zone, its channel directory, the scripts the repo installs in
    /// its hermes home, its other jobs' names. Nil when the golden state declares none.
    mutating func renderAgentJobs(homes: [String: String], files: [RenderedFile]) -> RenderedAgentJobs? {
        guard let first = spec.agentJobs.first else { return nil }
        guard let home = homes[AgentJobHost.homeName] else {
            error(
                first, "agentjobs.no-home",
                "agent jobs go to the harness's <home>/cron/jobs.json, and the golden state has no home named '\(AgentJobHost.homeName)'; add it under homes:"
            )
            return nil
        }
        var host = AgentJobHost(home: home, files: files, repo: context.repo)
        if let (tz, problem) = host.timezone(), let problem {
            diagnostics.append(Diagnostic(file: tz, at: .start, .warning, rule: "agentjobs.timezone", problem + " (host '\(self.host)')"))
        }
        var jobs: [RenderedAgentJob] = []
        var names: [String: AgentJobDefinition] = [:]
        for pathNode in spec.agentJobs {
            guard let path = pathNode.string else { continue }
            guard let doc = context.repo[path], AgentJobsFile.isAgentJobs(doc) else {
                let why =
                    context.repo[path] == nil ? "does not exist in the repo" : "is not an agent-jobs file (a mapping with 'agent_jobs:')"
                error(pathNode, "playbook.missing-source", "agent-jobs file '\(path)' \(why)")
                continue
            }
            for def in AgentJobsFile(document: doc).jobs {
                if let inventory = context.inventory, !inventory.host(self.host, matches: def.hostsPattern ?? "all") { continue }
                guard let job = renderAgentJob(def, host: &host) else { continue }
                let key = job.name.lowercased()
                if let other = names[key] {
                    // Two literal names without hosts are reported once by the file check.
                    if def.hostsPattern != nil || other.hostsPattern != nil || def.name != job.name {
                        error(
                            at: def.marks["name"] ?? def.mark, "agentjobs.duplicate-name",
                            "host '\(self.host)' gets two agent jobs named '\(job.name)' (the other at \(other.file):\(other.marks["name"] ?? other.mark)); the harness finds jobs by name without regard to case — rename one or narrow their hosts",
                            file: def.file)
                    }
                    continue
                }
                names[key] = def
                jobs.append(job)
            }
        }
        return RenderedAgentJobs(home: home, timezone: host.zoneName, jobs: jobs)
    }

    /// One job rendered for this host; nil when a problem was reported.
    private mutating func renderAgentJob(_ def: AgentJobDefinition, host: inout AgentJobHost) -> RenderedAgentJob? {
        let node = def.node
        let file = def.file
        let note = " (rendered for host '\(self.host)')"
        let before = diagnostics.errorCount
        func value(_ key: String) -> (String, Node)? {
            guard let n = node[key], !n.isNull, case .scalar = n.kind else { return nil }
            return renderText(n.scalarText ?? "", node: n, file: file).map { ($0, n) }
        }
        func list(_ key: String) -> [String]? {
            guard let n = node[key], !n.isNull else { return nil }
            let items = n.items ?? [n]
            return items.compactMap { item in item.scalarText.flatMap { renderText($0, node: item, file: file) } }
        }
        guard let (name, _) = value("name"), let (scheduleText, scheduleNode) = value("schedule") else { return nil }
        let raw = scheduleNode.scalarText ?? ""
        if AgentJobText.isTemplated(raw) {
            guard AgentJobText.checkSchedule(scheduleText, node: scheduleNode, file: file, note: note, into: &diagnostics) != nil else {
                return nil
            }
        } else if def.schedule == nil {
            return nil
        }
        let prompt = value("prompt")
        if let (text, promptNode) = prompt, AgentJobText.isTemplated(promptNode.scalarText ?? "") {
            AgentJobText.checkPrompt(text, node: promptNode, file: file, note: note, into: &diagnostics)
        }
        let deliverParts = list("deliver") ?? []
        let deliver = AgentDeliver.parse(deliverParts.joined(separator: ","))
        if let deliverNode = node["deliver"] {
            let templated = (deliverNode.items ?? [deliverNode]).contains { AgentJobText.isTemplated($0.scalarText ?? "") }
            if templated { for p in deliver.problems { error(deliverNode, "agentjobs.deliver", p + note, file: file) } }
            for problem in host.unresolvedLabels(deliver) { error(deliverNode, "agentjobs.deliver", problem + note, file: file) }
            if deliver.usesOrigin {
                diagnostics.append(
                    Diagnostic(
                        file: file, at: deliverNode.mark, .warning, rule: "agentjobs.deliver-origin",
                        "'origin' means the chat a job was created from, and a declared job has none: the harness falls back to the first platform with a home channel; name the platform (e.g. telegram) instead"
                    ))
            }
        }
        var script: String?
        if let (text, scriptNode) = value("script") {
            script = HarnessText.strip(text)
            if let problem = host.scriptProblem(script ?? "", userHome: environment.home) {
                error(scriptNode, "agentjobs.script", problem + note, file: file)
            }
        }
        var workdir: String?
        if let (text, workdirNode) = value("workdir") {
            workdir = HomePath.resolve(text, home: environment.home)
            if workdir == nil && AgentJobText.isTemplated(workdirNode.scalarText ?? "") {
                error(workdirNode, "agentjobs.workdir", "workdir '\(text)' must be absolute (or start with ~/)\(note)", file: file)
            }
        }
        let model = value("model"), provider = value("provider"), baseURL = value("base_url")
        checkAgentJobPolicy([("model", model), ("provider", provider), ("base_url", baseURL)], file: file, note: note)
        guard diagnostics.errorCount == before else { return nil }
        func optional(_ v: (String, Node)?) -> String? { v.map { HarnessText.strip($0.0) }.flatMap { $0.isEmpty ? nil : $0 } }
        var skills: [String] = []
        for s in (list("skills") ?? []).map(HarnessText.strip) where !s.isEmpty && !skills.contains(s) { skills.append(s) }
        let toolsets = list("toolsets").map { $0.map(HarnessText.strip).filter { !$0.isEmpty } }
        return RenderedAgentJob(
            name: name, prompt: prompt?.0 ?? "", schedule: HarnessText.strip(scheduleText), script: script,
            noAgent: node["no_agent"].flatMap { if case .bool(let b) = $0.value { return b } else { return nil } } ?? false,
            model: optional(model), provider: optional(provider),
            baseURL: optional(baseURL).map { String($0.reversed().drop { $0 == "/" }.reversed()) }, skills: skills,
            deliver: deliver.text, toolsets: toolsets?.isEmpty == false ? toolsets : nil, workdir: workdir,
            enabled: node["enabled"].flatMap { if case .bool(let b) = $0.value { return b } else { return nil } } ?? true)
    }

    /// The banned-provider and remote `base_url` rules on templated values (literal ones are
    /// checked with config.yaml's rules by the policy check).
    private mutating func checkAgentJobPolicy(_ values: [(String, (String, Node)?)], file: String, note: String) {
        for case (let key, (let text, let node)?) in values where AgentJobText.isTemplated(node.scalarText ?? "") {
            let tree = Node(
                .mapping([Node.Pair(key: Node.scalar(key, at: node.mark), value: Node.scalar(text, at: node.mark))]), mark: node.mark)
            diagnostics += PolicyTreeScan(policy: context.policy, file: file, hostNote: note).scan(tree)
        }
    }
}

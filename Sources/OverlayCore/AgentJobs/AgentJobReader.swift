/// Reads and checks one declared agent job without a host: keys, types, the name, and every
/// literal (untemplated) value the harness has rules for. Templated values are checked when
/// the job is rendered for a host (`RenderSession+AgentJobs`).
struct AgentJobReader {
    let file: String
    let node: Node
    private(set) var diagnostics: [Diagnostic] = []

    init(file: String, node: Node) {
        self.file = file
        self.node = node
    }

    /// The longest name accepted (the harness shows names in lists and chat messages).
    static let maxNameLength = 200

    mutating func read() -> AgentJobDefinition? {
        guard let pairs = node.pairs else {
            report(node.mark, "agentjobs.type", "each agent job is a mapping with name, schedule and a prompt or a script")
            return nil
        }
        var marks: [String: Mark] = [:]
        for pair in pairs {
            let key = pair.key.scalarText ?? "?"
            if AgentJobDefinition.keys.contains(key) {
                marks[key] = pair.value.mark
            } else {
                let hint = Suggest.closest(key, in: AgentJobDefinition.keys).map { " — did you mean '\($0)'?" } ?? ""
                report(
                    pair.key.mark, "agentjobs.unknown-key",
                    "unknown key '\(key)' in an agent job\(hint) (a job has \(AgentJobDefinition.keys.joined(separator: ", ")))")
            }
        }
        for key in ["name", "schedule"] where node[key] == nil {
            report(node.mark, "agentjobs.required", "this agent job has no '\(key)'; every job needs a name and a schedule")
        }
        for key in ["prompt", "script", "model", "provider", "base_url", "workdir", "hosts"] { _ = string(key) }
        checkSecretReferences()
        for key in ["no_agent", "enabled"] { _ = bool(key) }
        for key in ["skills", "toolsets", "deliver"] { _ = strings(key) }
        let name = string("name")
        if let name, let nameNode = node["name"] { checkName(name, nameNode) }
        checkContent()
        var schedule: AgentSchedule?
        if let text = string("schedule"), let scheduleNode = node["schedule"], !AgentJobText.isTemplated(text) {
            schedule = AgentJobText.checkSchedule(text, node: scheduleNode, file: file, into: &diagnostics)
        }
        if let prompt = string("prompt"), let promptNode = node["prompt"], !AgentJobText.isTemplated(prompt) {
            AgentJobText.checkPrompt(prompt, node: promptNode, file: file, into: &diagnostics)
        }
        if let values = strings("deliver"), let deliverNode = node["deliver"], !values.contains(where: AgentJobText.isTemplated) {
            for problem in AgentDeliver.parse(values.joined(separator: ",")).problems {
                report(deliverNode.mark, "agentjobs.deliver", problem)
            }
        }
        if let workdir = string("workdir"), let workdirNode = node["workdir"], !AgentJobText.isTemplated(workdir),
            !(workdir.hasPrefix("/") || workdir == "~" || workdir.hasPrefix("~/"))
        {
            report(
                workdirNode.mark, "agentjobs.workdir",
                "workdir '\(workdir)' must be absolute (or start with ~/): jobs run detached from any shell's folder")
        }
        guard let name else { return nil }
        return AgentJobDefinition(
            name: name, node: node, file: file, mark: node.mark, marks: marks, hostsPattern: string("hosts"), schedule: schedule)
    }

    /// What the job runs: a prompt, skills or a script; `no_agent` needs a script and ignores
    /// what only the agent reads.
    private mutating func checkContent() {
        let noAgent = bool("no_agent") ?? false
        let hasScript = node["script"].map { !$0.isNull } ?? false
        if noAgent && !hasScript {
            report(
                node["no_agent"]?.mark ?? node.mark, "agentjobs.no-agent",
                "no_agent: true runs a script instead of the agent, and this job has no 'script'; add the script (under the hermes home's scripts/) or drop no_agent"
            )
        }
        if !noAgent && node["prompt"] == nil && node["skills"] == nil && !hasScript {
            report(
                node.mark, "agentjobs.required",
                "this agent job has nothing to run; give it a 'prompt' (or 'skills', or a 'script' with no_agent: true)")
        }
        if noAgent {
            for key in ["prompt", "model", "provider", "base_url", "skills", "toolsets"] where node[key] != nil {
                diagnostics.append(
                    Diagnostic(
                        file: file, at: node.keyNode(key)?.mark ?? node.mark, .warning, rule: "agentjobs.ignored-field",
                        "'\(key)' is ignored by a no_agent job (the script's output is delivered as-is); remove it"))
            }
        }
    }

    /// `${secret:NAME}` is resolved only in template files: in a job it would reach the
    /// harness's jobs.json (and apply's diffs) as written.
    private mutating func checkSecretReferences() {
        for pair in node.pairs ?? [] {
            for value in pair.value.items ?? [pair.value] where value.scalarText?.contains("${secret:") == true {
                report(
                    value.mark, "agentjobs.secret",
                    "'\(pair.key.scalarText ?? "?")' holds a ${secret:…} reference, which overlay resolves only in template files; let the harness read the value from its .env (${VAR}) instead"
                )
            }
        }
    }

    private mutating func checkName(_ name: String, _ nameNode: Node) {
        if name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            report(
                nameNode.mark, "agentjobs.name",
                "the job name contains a control character (a newline, a tab or a NUL); write it on one line")
        } else if name.allSatisfy(\.isWhitespace) {
            report(nameNode.mark, "agentjobs.name", "the job name is empty; name the job (it is how overlay and 'hermes cron' find it)")
        } else if name.count > Self.maxNameLength {
            report(nameNode.mark, "agentjobs.name", "the job name is \(name.count) characters long; keep it under \(Self.maxNameLength)")
        }
    }

    /// The string at `key` (nil when absent, null or not a string — the latter reported).
    mutating func string(_ key: String) -> String? {
        guard let v = node[key], !v.isNull else { return nil }
        if case .scalar = v.kind, let s = v.scalarText { return s }
        report(v.mark, "agentjobs.type", "'\(key)' must be a string, found a \(v.typeName)")
        return nil
    }

    mutating func bool(_ key: String) -> Bool? {
        guard let v = node[key], !v.isNull else { return nil }
        if case .bool(let b) = v.value { return b }
        report(v.mark, "agentjobs.type", "'\(key)' must be true or false, found \(v.scalarText.map { "'\($0)'" } ?? "a \(v.typeName)")")
        return nil
    }

    /// A string or a list of strings at `key`.
    mutating func strings(_ key: String) -> [String]? {
        guard let v = node[key], !v.isNull else { return nil }
        if let items = v.items {
            var out: [String] = []
            for item in items {
                guard case .scalar = item.kind, let s = item.scalarText else {
                    report(item.mark, "agentjobs.type", "each item of '\(key)' must be a string")
                    continue
                }
                out.append(s)
            }
            return out
        }
        if case .scalar = v.kind, let s = v.scalarText { return [s] }
        report(v.mark, "agentjobs.type", "'\(key)' must be a string or a list of strings, found a \(v.typeName)")
        return nil
    }

    mutating func report(_ mark: Mark, _ rule: String, _ message: String) {
        diagnostics.append(Diagnostic(file: file, at: mark, rule: rule, message))
    }
}

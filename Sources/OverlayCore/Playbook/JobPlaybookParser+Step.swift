extension JobPlaybookParser {
    /// One `jobs:` entry, or nil when it is not a mapping. `names` are the playbook's job
    /// names in file order (for suggestions), `known` the same as a set (a 50,000-step
    /// chain must not cost 50,000² comparisons).
    mutating func readStep(_ pair: Node.Pair, names: [String], known: Set<String>) -> JobStep? {
        let name = pair.key.value.keyString
        let job = pair.value
        guard job.pairs != nil else {
            error(job, "playbook.syntax", "job '\(name)' must be a mapping (run, needs, …)")
            return nil
        }
        if !Self.isSafeName(name) {
            error(pair.key, "playbook.syntax", "job name '\(name)' must be letters, digits, '.', '_' or '-' (it names the step's log file)")
        }
        unknownKeys(job, Self.jobKeys, "job '\(name)'")
        let kinds = ["run", "gate", "promote"].filter { job[$0] != nil }
        if kinds.count != 1 {
            error(
                job, "playbook.syntax",
                "job '\(name)' needs exactly one of run, gate or promote (has \(kinds.isEmpty ? "none" : kinds.joined(separator: ", ")))")
        }
        var action = JobAction.run("")
        if let run = job["run"] {
            action = .run(stringOrError(run, "run") ?? "")
            runNodes[name] = run
        } else if let gate = job["gate"] {
            action = readGate(gate).map(JobAction.gate) ?? action
        } else if let promote = job["promote"] {
            action = readPromote(promote).map(JobAction.promote) ?? action
        }
        var step = JobStep(name: name, action: action)
        step.timeoutSeconds = job["timeout"].flatMap { duration($0, "timeout") }
        if step.timeoutSeconds == 0, let t = job["timeout"] {
            error(t, "playbook.duration", "timeout must be above 0 (leave it out for the default of 1 h)")
        }
        step.backoffSeconds = job["backoff"].flatMap { duration($0, "backoff") }
        if let r = job["retries"] {
            if case .int(let n) = r.value, n >= 0 {
                step.retries = n
            } else {
                error(r, "playbook.syntax", "retries must be a whole number ≥ 0")
            }
        }
        step.needs = readNeeds(job["needs"], of: name, names: names, known: known)
        step.resource = job["resource"].flatMap { stringOrError($0, "resource") }
        if let r = job["resource"], let resource = step.resource, !Self.isSafeName(resource) {
            error(
                r, "playbook.syntax",
                "resource '\(resource)' must be letters, digits, '.', '_' or '-' (it names a lock file under jobs/resources/)")
        }
        step.metrics = job["metrics"].flatMap { stringOrError($0, "metrics") }
        if let p = job["provenance"] {
            step.provenance = stringOrError(p, "provenance")
            provenanceNodes.append(p)
        }
        step.outputs = job["outputs"].map { strings($0, "outputs") } ?? []
        step.when = job["when"].map { readWhen($0) } ?? []
        if let env = job["env"] { step.env = readEnv(env, of: name) }
        refuseSecrets(job, name: name)
        return step
    }

    /// `${secret:…}` in a step's `run` or env values would reach the shell as written: secrets
    /// are resolved only in templates.
    mutating func refuseSecrets(_ job: Node, name: String) {
        let env = (job["env"]?.pairs ?? []).map { ("env value of '\($0.key.value.keyString)'", Optional($0.value)) }
        for (what, node) in [("run", job["run"])] + env {
            guard let node, let text = node.string,
                let d = SecretPlacement.diagnostic(
                    text, node: node, what: "job '\(name)' \(what)", rule: "playbook.secret-reference", file: file)
            else { continue }
            out.append(d)
        }
    }

    mutating func duration(_ node: Node, _ key: String) -> Int? {
        if let seconds = DurationParser.seconds(node) { return seconds }
        let got = node.scalarText.map { " (got '\($0)')" } ?? ""
        error(node, "playbook.duration", "\(key) must be a duration: \(DurationParser.expected)\(got)")
        return nil
    }

    mutating func readNeeds(_ node: Node?, of name: String, names: [String], known: Set<String>) -> [String] {
        guard let node else { return [] }
        let items = node.items ?? [node]
        var deps: [String] = []
        for dep in items {
            guard let d = dep.string else {
                error(dep, "playbook.syntax", "'needs' lists job names; found a \(dep.typeName)")
                continue
            }
            if !known.contains(d) {
                let hint = Suggest.closest(d, in: names).map { " — did you mean '\($0)'?" } ?? ""
                error(dep, "playbook.unknown-job", "job '\(name)' needs '\(d)', which is not a job in this playbook\(hint)")
            } else if !deps.contains(d) {
                deps.append(d)
            }
        }
        return deps
    }

    mutating func strings(_ node: Node, _ key: String) -> [String] {
        guard let items = node.items else {
            error(node, "playbook.syntax", "'\(key)' must be a list of strings")
            return []
        }
        return items.compactMap { stringOrError($0, key) }
    }

    mutating func readEnv(_ node: Node, of name: String) -> [JobEnvironmentVariable] {
        guard let pairs = node.pairs else {
            error(node, "playbook.syntax", "'env' of job '\(name)' must map variable names to values")
            return []
        }
        var vars: [JobEnvironmentVariable] = []
        for pair in pairs {
            let key = pair.key.value.keyString
            guard !key.isEmpty, !key.contains("="), let value = pair.value.scalarText else {
                error(pair.key, "playbook.syntax", "env entries are NAME: value with a scalar value and no '=' in the name")
                continue
            }
            vars.append(JobEnvironmentVariable(name: key, value: value))
            envNodes[name, default: [:]][key] = pair.value
        }
        return vars.sorted { $0.name < $1.name }
    }

    mutating func readWhen(_ node: Node) -> [JobCondition] {
        guard node.pairs != nil else {
            error(node, "playbook.when", "'when' must be a mapping: {min_examples: N, dataset: FILE}, {exists: FILE} or {changed: FILE}")
            return []
        }
        unknownKeys(node, Self.whenKeys, "'when'")
        var conditions: [JobCondition] = []
        let dataset = node["dataset"].flatMap { stringOrError($0, "dataset") }
        if let m = node["min_examples"] {
            if case .int(let n) = m.value, n >= 0 {
                if let dataset {
                    conditions.append(.minExamples(n, dataset: dataset))
                } else {
                    error(m, "playbook.when", "min_examples needs 'dataset': the JSONL file whose lines are counted")
                }
            } else {
                error(m, "playbook.when", "min_examples must be a whole number ≥ 0")
            }
        } else if let d = node["dataset"] {
            error(d, "playbook.when", "'dataset' is only read with min_examples: add min_examples: N")
        }
        if let e = node["exists"], let path = stringOrError(e, "exists") { conditions.append(.exists(path)) }
        if let c = node["changed"], let path = stringOrError(c, "changed") { conditions.append(.changed(path)) }
        return conditions
    }
}

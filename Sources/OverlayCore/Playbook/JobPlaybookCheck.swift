/// Checks job playbooks (`playbooks/*.yaml` with `jobs:`): keys, dependencies, cycles,
/// durations, gate and promote blocks.
public struct JobPlaybookCheck: RepoCheck {
    static let topKeys = ["name", "schedule", "hosts", "jobs", "description"]
    static let jobKeys = [
        "run", "needs", "outputs", "timeout", "retries", "resource", "when", "gate", "promote", "provenance",
        "metrics", "description", "env",
    ]
    static let gatePolicies = ["no_regression", "must_improve", "pareto_dominant"]

    public init() {}

    public func check(_ context: ValidationContext) -> [Diagnostic] {
        var out: [Diagnostic] = []
        for doc in context.repo.structured(under: "playbooks/") where doc.path != GoldenStateFile.path {
            guard let root = doc.root, root["jobs"] != nil else { continue }
            var reader = JobPlaybookReader(file: doc.path, inventory: context.inventory)
            out += reader.check(root)
        }
        return out
    }
}

/// The checks of one job playbook.
struct JobPlaybookReader {
    let file: String
    let inventory: Inventory?
    var out: [Diagnostic] = []

    init(file: String, inventory: Inventory?) {
        self.file = file
        self.inventory = inventory
    }

    mutating func check(_ root: Node) -> [Diagnostic] {
        unknownKeys(root, JobPlaybookCheck.topKeys, "a job playbook")
        if let hosts = root["hosts"], let pattern = hosts.string, let inventory, inventory.hosts(matching: pattern).isEmpty {
            out.append(
                Diagnostic(
                    file: file, at: hosts.mark, .warning, rule: "playbook.no-hosts",
                    "hosts pattern '\(pattern)' matches no inventory host; the playbook runs nowhere"))
        }
        guard let jobs = root["jobs"]?.pairs else {
            if let j = root["jobs"] { error(j, "playbook.syntax", "'jobs' must map a job name to its step") }
            return out
        }
        let names = jobs.map { $0.key.value.keyString }
        var needs: [String: [String]] = [:]
        for pair in jobs {
            let name = pair.key.value.keyString
            let job = pair.value
            guard job.pairs != nil else {
                error(job, "playbook.syntax", "job '\(name)' must be a mapping (run, needs, …)")
                continue
            }
            unknownKeys(job, JobPlaybookCheck.jobKeys, "job '\(name)'")
            let kinds = ["run", "gate", "promote"].filter { job[$0] != nil }
            if kinds.count != 1 {
                error(
                    job, "playbook.syntax",
                    "job '\(name)' needs exactly one of run, gate or promote (has \(kinds.isEmpty ? "none" : kinds.joined(separator: ", ")))"
                )
            }
            for key in ["timeout"] {
                if let t = job[key], DurationParser.seconds(t) == nil {
                    let got = t.scalarText.map { " (got '\($0)')" } ?? ""
                    error(t, "playbook.duration", "\(key) must be a duration: \(DurationParser.expected)\(got)")
                }
            }
            let env = (job["env"]?.pairs ?? []).map { ("env value of '\($0.key.value.keyString)'", Optional($0.value)) }
            for (what, node) in [("run", job["run"])] + env {
                guard let node, let text = node.string,
                    let d = SecretPlacement.diagnostic(
                        text, node: node, what: "job '\(name)' \(what)", rule: "playbook.secret-reference", file: file)
                else { continue }
                out.append(d)
            }
            if let r = job["retries"], !(r.value.isNonNegativeInt) { error(r, "playbook.syntax", "retries must be a whole number ≥ 0") }
            if let gate = job["gate"] {
                if let policy = gate["policy"]?.string, !JobPlaybookCheck.gatePolicies.contains(policy) {
                    let hint = Suggest.closest(policy, in: JobPlaybookCheck.gatePolicies).map { " — did you mean '\($0)'?" } ?? ""
                    error(
                        gate["policy"] ?? gate, "playbook.gate",
                        "unknown gate policy '\(policy)'\(hint) (policies: \(JobPlaybookCheck.gatePolicies.joined(separator: ", ")))")
                } else if gate["policy"] == nil {
                    error(gate, "playbook.gate", "a gate needs 'policy' (\(JobPlaybookCheck.gatePolicies.joined(separator: ", ")))")
                }
            }
            if let promote = job["promote"], promote["from"] == nil || promote["to"] == nil {
                error(promote, "playbook.syntax", "promote needs 'from' and 'to'")
            }
            var deps: [String] = []
            for dep in job["needs"]?.items ?? [] {
                guard let d = dep.string else { continue }
                if !names.contains(d) {
                    let hint = Suggest.closest(d, in: names).map { " — did you mean '\($0)'?" } ?? ""
                    error(dep, "playbook.unknown-job", "job '\(name)' needs '\(d)', which is not a job in this playbook\(hint)")
                } else {
                    deps.append(d)
                }
            }
            needs[name] = deps
        }
        if let cycle = JobGraph.firstCycle(needs: needs, order: names), let first = cycle.first,
            let node = jobs.first(where: { $0.key.value.keyString == first })?.key
        {
            error(
                node, "playbook.job-cycle",
                "jobs depend on each other in a cycle: \((cycle + [first]).joined(separator: " → ")); break one 'needs'")
        }
        return out
    }

    mutating func unknownKeys(_ node: Node, _ known: [String], _ what: String) {
        for pair in node.pairs ?? [] {
            let key = pair.key.value.keyString
            guard !known.contains(key) else { continue }
            let hint = Suggest.closest(key, in: known).map { " — did you mean '\($0)'?" } ?? ""
            error(pair.key, "playbook.unknown-key", "unknown key '\(key)' in \(what)\(hint)")
        }
    }

    mutating func error(_ node: Node, _ rule: String, _ message: String) {
        out.append(Diagnostic(file: file, at: node.mark, rule: rule, message))
    }
}

/// Dependency order of jobs.
public enum JobGraph {
    /// The first cycle found (job names in order), or nil.
    public static func firstCycle(needs: [String: [String]], order: [String]) -> [String]? {
        var state: [String: Int] = [:]  // 1 visiting, 2 done
        var stack: [String] = []
        func visit(_ n: String) -> [String]? {
            if state[n] == 2 { return nil }
            if state[n] == 1 {
                guard let i = stack.firstIndex(of: n) else { return [n] }
                return Array(stack[i...])
            }
            state[n] = 1
            stack.append(n)
            for d in needs[n] ?? [] { if let c = visit(d) { return c } }
            stack.removeLast()
            state[n] = 2
            return nil
        }
        for n in order { if let c = visit(n) { return c } }
        return nil
    }
}

extension Value {
    var isNonNegativeInt: Bool {
        if case .int(let i) = self { return i >= 0 }
        return false
    }
}

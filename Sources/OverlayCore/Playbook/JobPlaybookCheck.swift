/// Checks job playbooks (`playbooks/*.yaml` with `jobs:`): the file itself (keys,
/// dependencies, cycles, durations, gate, promote and `when` blocks, the schedule), then
/// what needs the rest of the repo: the hosts pattern, every `run` rendered for each host
/// the playbook targets, and the consent policy that `provenance:` needs.
public struct JobPlaybookCheck: RepoCheck {
    public init() {}

    public func check(_ context: ValidationContext) -> [Diagnostic] {
        var out: [Diagnostic] = []
        var parses: [JobPlaybookParse] = []
        for doc in context.repo.structured(under: "playbooks/") where JobPlaybook.isJobPlaybook(doc) {
            let parse = JobPlaybook.parse(doc)
            // Syntax problems of the document are the document check's to report.
            out += parse.diagnostics.filter { d in !doc.diagnostics.contains(d) }
            out += repoProblems(parse, context)
            parses.append(parse)
        }
        return out + JobPlaybook.duplicateNames(parses)
    }

    func repoProblems(_ parse: JobPlaybookParse, _ context: ValidationContext) -> [Diagnostic] {
        var out: [Diagnostic] = []
        let file = parse.playbook.file
        if let inventory = context.inventory {
            let pattern = parse.playbook.hosts ?? "all"
            let hosts = inventory.hosts(matching: pattern)
            if hosts.isEmpty, let node = parse.hostsNode {
                out.append(
                    Diagnostic(
                        file: file, at: node.mark, .warning, rule: "playbook.no-hosts",
                        "hosts pattern '\(pattern)' matches no inventory host; the playbook runs nowhere"))
            }
            var seen = Set<String>()
            for host in hosts {
                guard case .failure(let problems) = parse.rendered(host: host, vars: inventory.vars(for: host)) else { continue }
                // One report per reference: the first host that lacks the variable names it.
                for d in problems.diagnostics where seen.insert("\(d.line):\(d.column)").inserted { out.append(d) }
            }
        }
        if !parse.provenanceNodes.isEmpty, DataPolicy.of(context.repo) == nil {
            for node in parse.provenanceNodes {
                out.append(
                    Diagnostic(
                        file: file, at: node.mark, rule: "playbook.provenance-policy",
                        "provenance checks each record's consent against the allowed levels, and \(DataPolicy.path) lists none; add it with consent_levels: [...]"
                    ))
            }
        }
        return out
    }
}

/// Dependency order of jobs. Iterative on purpose: a generated playbook with a chain of
/// thousands of steps must not overflow a thread's stack.
public enum JobGraph {
    /// The first cycle found (job names in order), or nil.
    public static func firstCycle(needs: [String: [String]], order: [String]) -> [String]? {
        var state: [String: Int] = [:]  // 1 on the current path, 2 finished
        for start in order where state[start] == nil {
            // Each frame: a job and the index of the next dependency to visit.
            var stack: [(name: String, next: Int)] = [(start, 0)]
            state[start] = 1
            while let top = stack.last {
                let deps = needs[top.name] ?? []
                guard top.next < deps.count else {
                    state[top.name] = 2
                    stack.removeLast()
                    continue
                }
                stack[stack.count - 1].next += 1
                let dep = deps[top.next]
                switch state[dep] {
                case 1:
                    let names = stack.map(\.name)
                    return Array(names[(names.firstIndex(of: dep) ?? 0)...])
                case 2: continue
                default:
                    state[dep] = 1
                    stack.append((dep, 0))
                }
            }
        }
        return nil
    }

    /// Each job's depth: 0 without `needs`, else one more than its deepest dependency.
    /// Jobs in a cycle or depending on one are left out.
    public static func levels(needs: [String: [String]], order: [String]) -> [String: Int] {
        var waiting = Dictionary(uniqueKeysWithValues: order.map { ($0, Set(needs[$0] ?? [])) })
        var dependents: [String: [String]] = [:]
        for name in order { for d in needs[name] ?? [] { dependents[d, default: []].append(name) } }
        var level: [String: Int] = [:]
        var ready = order.filter { waiting[$0]?.isEmpty ?? true }
        for name in ready { level[name] = 0 }
        while let name = ready.popLast() {
            for child in dependents[name] ?? [] {
                level[child] = max(level[child] ?? 0, (level[name] ?? 0) + 1)
                waiting[child]?.remove(name)
                if waiting[child]?.isEmpty == true {
                    waiting[child] = nil
                    ready.append(child)
                }
            }
        }
        return level
    }
}

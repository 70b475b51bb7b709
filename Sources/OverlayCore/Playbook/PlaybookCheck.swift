/// Checks `playbooks/site.yaml`: its structure, then a full render for every host it
/// targets (sources, destinations, protected paths, variables, rendered templates) — or for
/// the context's host scope. Render problems carry the hosts they were found for.
public struct PlaybookCheck: RepoCheck {
    public init() {}

    public func check(_ context: ValidationContext) -> [Diagnostic] {
        guard let renderer = GoldenStateRenderer(context: context) else { return [] }
        var out = renderer.specDiagnostics
        guard let inventory = context.inventory else {
            if let doc = context.repo[GoldenStateFile.path] {
                out.append(
                    Diagnostic(
                        file: doc.path, at: .start, .warning, rule: "playbook.no-inventory",
                        "no inventory/hosts.yml: templates cannot be checked against host variables; add the inventory"))
            }
            return out
        }
        let hosts = renderer.targetHosts
        if renderer.siteHosts.isEmpty, let doc = context.repo[GoldenStateFile.path] {
            let pattern = doc.root?["hosts"]
            out.append(
                Diagnostic(
                    file: doc.path, at: pattern?.mark ?? .start, .warning, rule: "playbook.no-hosts",
                    "hosts pattern '\(pattern?.string ?? "all")' matches no inventory host (hosts: \(inventory.hostNames.joined(separator: ", "))); the golden state applies nowhere"
                ))
        }
        // A problem found rendering several hosts is reported once, naming them all.
        var seen: [String: Int] = [:]
        for host in hosts where context.rendersForValidation(host) {
            let env = RenderEnvironment.validation(host: host, hostVars: inventory.vars(for: host))
            let (_, diags) = renderer.renderCollecting(host: host, environment: env)
            for var d in diags {
                if let i = seen[d.description] {
                    out[i].hosts.append(host)
                } else {
                    seen[d.description] = out.count
                    d.hosts = [host]
                    out.append(d)
                }
            }
        }
        return out
    }
}

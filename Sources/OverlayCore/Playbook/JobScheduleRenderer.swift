import Foundation

/// The cron entries that run the repo's scheduled job playbooks: one per playbook with a
/// `schedule:`, on every host its `hosts:` selects —
/// `<overlay> jobs run <repo>/<playbook> --root <repo> --host <host> --quiet`.
///
/// Cron runs with a minimal PATH and the user's home as working directory, so both paths
/// are absolute: the overlay binary is the host's `overlay_bin`, else — on a local host,
/// which a pull or an apply renders on the machine itself — the binary running now, else
/// `/usr/local/bin/overlay` (where the README installs it). The repo is the host's
/// `overlay_repo` (`~` is the host's home), else, on a local host, the repo being rendered;
/// an SSH host without `overlay_repo` gets no entry and a warning: nothing here knows where
/// its checkout is.
public struct JobScheduleRenderer: Sendable {
    let context: ValidationContext
    let playbooks: [(document: Document, playbook: JobPlaybook)]

    /// The scheduled, valid job playbooks of the repo.
    public init(context: ValidationContext) {
        self.context = context
        self.playbooks = context.repo.structured(under: "playbooks/").filter(JobPlaybook.isJobPlaybook).compactMap { doc in
            let parse = JobPlaybook.parse(doc)
            return parse.isRunnable && parse.playbook.schedule != nil ? (doc, parse.playbook) : nil
        }
    }

    /// Every inventory host some scheduled playbook targets. The engine renders these hosts
    /// too (a host outside the golden state's `hosts:` gets only these entries).
    public var targetHosts: [String] {
        guard let inventory = context.inventory else { return [] }
        return Array(Set(playbooks.flatMap { inventory.hosts(matching: $0.playbook.hosts ?? "all") })).sorted()
    }

    /// The entries for `host` (with its variables `vars`), and the problems found.
    public func entries(host: String, vars: Value, environment: RenderEnvironment) -> ([RenderedCronJob], [Diagnostic]) {
        var entries: [RenderedCronJob] = []
        var problems: [Diagnostic] = []
        let local = context.inventory == nil || vars["ansible_connection"]?.stringValue == "local"
        for (doc, playbook) in playbooks {
            guard let schedule = playbook.schedule, let node = doc.root?["schedule"] else { continue }
            if let inventory = context.inventory, !inventory.host(host, matches: playbook.hosts ?? "all") { continue }
            let repo =
                vars["overlay_repo"]?.stringValue.map { expand($0, environment) }
                ?? (local ? context.repo.files.root.standardizedFileURL.path : nil)
            guard let repo, !repo.isEmpty else {
                problems.append(
                    Diagnostic(
                        file: doc.path, at: node.mark, .warning, rule: "playbook.schedule-repo",
                        "playbook '\(playbook.name)' runs on '\(host)' on a schedule, but its cron entry needs the path of the overlay repo checkout there; set overlay_repo in host_vars/\(host).yml"
                    ))
                continue
            }
            let binary =
                vars["overlay_bin"]?.stringValue.flatMap { $0.isEmpty ? nil : expand($0, environment) }
                ?? (local ? environment.overlayBinary : nil) ?? "/usr/local/bin/overlay"
            let words = [binary, "jobs", "run", repo + "/" + doc.path, "--root", repo, "--host", host, "--quiet"]
            let command = words.map(Self.shellQuoted).joined(separator: " ")
            var found: [Diagnostic] = []
            if !CronText.checkControl(command, node: node, what: "command", file: doc.path, into: &found) {
                CronText.checkPercent(command, node: node, file: doc.path, into: &found)
            }
            guard found.isEmpty else {
                problems += found.map { d in
                    var d = d
                    d.message =
                        "the cron entry of playbook '\(playbook.name)' for host '\(host)' is '\(command)': \(d.message); the character comes from overlay_repo, overlay_bin or the repo's path"
                    return d
                }
                continue
            }
            entries.append(RenderedCronJob(name: "overlay-jobs-" + Self.cronName(playbook.name), schedule: schedule, command: command))
        }
        return (entries, problems)
    }

    func expand(_ path: String, _ environment: RenderEnvironment) -> String {
        path == "~" ? environment.home : path.hasPrefix("~/") ? environment.home + path.dropFirst() : path
    }

    /// A cron job name (`[a-z0-9][a-z0-9_-]*`) from a playbook name.
    static func cronName(_ name: String) -> String {
        String(name.lowercased().map { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") ? $0 : "-" })
    }

    /// A word for `/bin/sh`: bare when it is plain, else single-quoted.
    static func shellQuoted(_ word: String) -> String {
        let plain = word.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "/._-+=:,@".contains($0)) }
        return plain && !word.isEmpty ? word : "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}

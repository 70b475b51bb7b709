import Foundation

extension RenderSession {
    /// A cron entry for every job playbook with a `schedule:` whose `hosts:` select this host:
    /// `<overlay> jobs run <repo>/<playbook> --root <repo> --host <host> --quiet`.
    ///
    /// Cron runs with a minimal PATH and the user's home as working directory, so both paths
    /// are absolute: the overlay binary is the host's `overlay_bin`, else — on a local host,
    /// which a pull or an apply renders on the machine itself — the binary running now, else
    /// `/usr/local/bin/overlay` (where the README installs it). The repo is the host's
    /// `overlay_repo` (`~` is the host's home), else, on a local host, the repo being rendered;
    /// an SSH host without `overlay_repo` gets no entry and a warning: nothing here knows
    /// where its checkout is.
    mutating func renderJobSchedules() -> [RenderedCronJob] {
        var entries: [RenderedCronJob] = []
        for doc in context.repo.structured(under: "playbooks/") where JobPlaybook.isJobPlaybook(doc) {
            let parse = JobPlaybook.parse(doc)
            guard parse.isRunnable, let schedule = parse.playbook.schedule, let node = doc.root?["schedule"] else { continue }
            if let inventory = context.inventory, !inventory.host(host, matches: parse.playbook.hosts ?? "all") { continue }
            guard let repo = repoPath() else {
                diagnostics.append(
                    Diagnostic(
                        file: doc.path, at: node.mark, .warning, rule: "playbook.schedule-repo",
                        "playbook '\(parse.playbook.name)' runs on '\(host)' on a schedule, but its cron entry needs the path of the overlay repo checkout there; set overlay_repo in host_vars/\(host).yml"
                    ))
                continue
            }
            let words = [binaryPath(), "jobs", "run", repo + "/" + doc.path, "--root", repo, "--host", host, "--quiet"]
            let command = words.map(Self.shellQuoted).joined(separator: " ")
            guard checkRenderedCommand(command, node: node, file: doc.path) else { continue }
            entries.append(
                RenderedCronJob(name: "overlay-jobs-" + Self.cronName(parse.playbook.name), schedule: schedule, command: command))
        }
        return entries
    }

    var isLocalHost: Bool { context.inventory == nil || vars["ansible_connection"]?.stringValue == "local" }

    func binaryPath() -> String {
        if let bin = vars["overlay_bin"]?.stringValue, !bin.isEmpty { return expandHome(bin) }
        return isLocalHost ? environment.overlayBinary ?? "/usr/local/bin/overlay" : "/usr/local/bin/overlay"
    }

    func repoPath() -> String? {
        if let repo = vars["overlay_repo"]?.stringValue, !repo.isEmpty { return expandHome(repo) }
        return isLocalHost ? context.repo.files.root.standardizedFileURL.path : nil
    }

    func expandHome(_ path: String) -> String {
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

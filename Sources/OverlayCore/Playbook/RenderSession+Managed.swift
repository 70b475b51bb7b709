import Foundation

extension RenderSession {
    /// The harness's managed scope when neither the host (`managed_dir`) nor a local apply's
    /// environment (`$HERMES_MANAGED_DIR`) names another.
    static let defaultManagedDir = "/etc/hermes"

    /// Renders `managed:` for this host: the managed scope's folder becomes the home
    /// `hermes-managed`, and its files (`config.yaml`, `.env`) and the `.managed` marker join
    /// `files`, as copies. Nil when the golden state has no `managed:` or it cannot be rendered.
    mutating func renderManaged(
        homes: inout [String: String], files: inout [RenderedFile], protected: [String]
    )
        -> RenderedManagedScope?
    {
        guard let managed = spec.managed else { return nil }
        let node = managed.node
        let name = RenderedManagedScope.homeName
        if let reserved = spec.homes.first(where: { $0.name == name }) {
            error(reserved.node, "managed.dir", "the home name '\(name)' is reserved for the managed scope (managed:); rename that home")
            return nil
        }
        guard let hermes = homes[AgentJobHost.homeName] else {
            error(
                node, "managed.no-home",
                "managed: pins settings of the harness whose home is declared as 'hermes' under homes, and there is none; declare it (hermes: \"{{ hermes_home }}\")"
            )
            return nil
        }
        guard let dir = managedDir(node), checkManagedDir(dir, node: node, homes: homes) else { return nil }
        homes[name] = dir
        let userFile = hermes + "/config.yaml"
        let user = AgentJobHost(home: hermes, files: files, repo: context.repo).value(ofDest: userFile)?.0
        var explicit: Value = .object([])
        if let config = managed.config, let rendered = renderManagedConfig(config) {
            checkManagedConfig(rendered, user: user, userFile: userFile)
            explicit = rendered.value
        }
        let pinned = pinnedKeys(managed, user: user, explicit: explicit, userFile: userFile, judged: !unreadableDests.contains(userFile))
        let tree = ManagedKeys.merged(pinned, explicit)
        let header = [
            "The harness's managed scope for host \(host): written by overlay from playbooks/site.yaml (managed:).",
            "Its keys win over \(environment.shown(userFile)), and `hermes config set` refuses to change them.",
            "Do not edit: the next apply puts it back.",
        ]
        var added = [
            RenderedFile(
                dest: dir + "/config.yaml", content: Data(ManagedScopeText.yaml(tree, header: header).utf8), mode: 0o644, link: false,
                source: Self.managedSource)
        ]
        if !managed.env.isEmpty, let env = renderManagedEnv(managed.env) {
            var file = RenderedFile(
                dest: dir + "/.env", content: Data(env.text.utf8), mode: 0o640, link: false, containsSecret: env.secret,
                source: Self.managedSource, redactedContent: env.redacted.map { Data($0.utf8) })
            file.groupReadable = true
            added.append(file)
        }
        if managed.lockConfig {
            let marker =
                "overlay: lock_config: true in playbooks/site.yaml (managed:). While this file exists the harness refuses every config write (hermes config set, hermes model, setup).\n"
            added.append(
                RenderedFile(dest: hermes + "/.managed", content: Data(marker.utf8), mode: 0o644, link: false, source: Self.managedSource))
        }
        for file in added {
            if let other = files.first(where: { $0.dest == file.dest }) {
                error(
                    node, "playbook.duplicate-dest",
                    "managed: writes '\(environment.shown(file.dest))', which the file entry of '\(other.source)' also writes (host '\(host)'); remove that entry"
                )
            } else if checkDest(file.dest, node: node, homes: homes, protected: protected) {
                files.append(file)
            }
        }
        let group = managed.group.flatMap { text($0) }
        return RenderedManagedScope(
            dir: dir, group: group, hermesHome: hermes, lockConfig: managed.lockConfig, hasEnv: !managed.env.isEmpty)
    }

    /// What the managed files name as their source in messages and records.
    static let managedSource = "playbooks/site.yaml (managed:)"

    /// The folder: the host's `managed_dir`, else `$HERMES_MANAGED_DIR` of a local apply, else `/etc/hermes`.
    private mutating func managedDir(_ node: Node) -> String? {
        if let declared = vars["managed_dir"] {
            guard let text = declared.stringValue, !text.isEmpty else {
                error(node, "managed.dir", "host var managed_dir of host '\(host)' must be a folder path such as /etc/hermes")
                return nil
            }
            return path(Node(.scalar(text, .doubleQuoted), mark: node.mark), what: "managed_dir")
        }
        return environment.managedDir ?? Self.defaultManagedDir
    }

    /// The folder may not be a system folder, and the agent's homes may not hold it (nor it them).
    private mutating func checkManagedDir(_ dir: String, node: Node, homes: [String: String]) -> Bool {
        if let problem = HomeRule.problem(home: dir, stateDir: environment.stateDir) {
            error(
                node, problem.rule,
                "the managed scope's folder: "
                    + problem.message(
                        home: environment.shown(dir), name: RenderedManagedScope.homeName, host: host, show: environment.shown)
                    + " (host var managed_dir; default \(Self.defaultManagedDir))")
            return false
        }
        for (name, home) in homes.sorted(by: { $0.key < $1.key }) where HomePath.isInside(dir, home) || HomePath.isInside(home, dir) {
            let relation = dir == home ? "is" : HomePath.isInside(dir, home) ? "is inside" : "contains"
            error(
                node, "managed.dir",
                "the managed scope's folder \(environment.shown(dir)) \(relation) home '\(name)' (\(environment.shown(home)), host '\(host)'); the agent may write its homes but must not write the managed scope — set managed_dir for this host to a folder of its own (default \(Self.defaultManagedDir))"
            )
            return false
        }
        return true
    }
}

import Foundation

extension RenderSession {
    /// Renders one `files:` entry into one file, or several when `src` is a folder (each
    /// create-only when the entry is).
    mutating func renderFile(_ entry: GoldenStateSpec.FileEntry, homes: [String: String], protected: [String]) -> [RenderedFile] {
        var files = renderEntry(entry, homes: homes, protected: protected)
        for i in files.indices { files[i].createOnly = entry.createOnly }
        return files
    }

    private mutating func renderEntry(
        _ entry: GoldenStateSpec.FileEntry, homes: [String: String], protected: [String]
    ) -> [RenderedFile] {
        guard let destNode = entry.dest, let dest = path(destNode, what: "dest") else { return [] }
        guard checkDest(dest, node: destNode, homes: homes, protected: protected) else { return [] }
        let mode = entry.mode.flatMap { fileMode($0) }
        if let srcNode = entry.src {
            guard let src = text(srcNode), let sources = sourceFiles(src, node: srcNode) else { return [] }
            var out: [RenderedFile] = []
            for (repoPath, relative) in sources {
                let target = relative.isEmpty ? dest : dest + "/" + relative
                if !relative.isEmpty, !checkDest(target, node: destNode, homes: homes, protected: protected) { continue }
                var content = Data()
                if environment.forApply {
                    switch FileBytes.read(context.repo.files.url(repoPath).path, limit: Int.max) {
                    case .bytes(let bytes): content = Data(bytes)
                    case .unreadable(let why):
                        error(srcNode, "playbook.missing-source", "cannot read '\(repoPath)': \(why)")
                        unreadableDests.insert(target)
                        continue
                    case .tooLarge(let size):
                        error(srcNode, "playbook.missing-source", "cannot read '\(repoPath)': it is \(size) bytes")
                        continue
                    }
                }
                out.append(RenderedFile(dest: target, content: content, mode: mode, link: entry.link, source: repoPath))
            }
            return out
        }
        guard let tplNode = entry.template, let tplPath = text(tplNode) else { return [] }
        guard let rendered = renderTemplateFile(tplPath, node: tplNode, dest: dest) else { return [] }
        let secretMode: UInt16? = rendered.hasSecret ? 0o600 : mode
        return [
            RenderedFile(
                dest: dest, content: Data(rendered.text.utf8), mode: secretMode, link: entry.link,
                containsSecret: rendered.hasSecret, source: tplPath, redactedContent: rendered.redacted.map { Data($0.utf8) })
        ]
    }

    /// Checks a destination against the homes and the protected paths.
    mutating func checkDest(_ dest: String, node: Node, homes: [String: String], protected: [String]) -> Bool {
        guard homes.values.contains(where: { HomePath.isInside(dest, $0) && dest != $0 }) else {
            let list = homes.sorted { $0.key < $1.key }.map { "\($0.key)=\(environment.shown($0.value))" }.joined(separator: ", ")
            error(
                node, "playbook.dest-outside-home",
                "dest '\(environment.shown(dest))' is outside every declared home (host '\(host)', homes: \(list)); put it under one of them or declare another home"
            )
            return false
        }
        if let state = environment.stateDir, HomeRule.touchesStateDir(dest, stateDir: state) {
            error(
                node, "playbook.dest-in-state-dir",
                "dest '\(environment.shown(dest))' is \(HomePath.isInside(dest, state) ? "inside" : "a parent of") overlay's state dir \(environment.shown(state)) (host '\(host)'); writing there would corrupt its generations, ledger or lock — choose another dest, or move the state dir (host var overlay_state_dir, or $OVERLAY_STATE_DIR)"
            )
            return false
        }
        if let p = protected.first(where: { HomePath.isInside(dest, $0) }) {
            error(
                node, "playbook.protected-path",
                "dest '\(environment.shown(dest))' is inside the protected path '\(environment.shown(p))' (host '\(host)'); overlay never writes there — choose another dest"
            )
            return false
        }
        return true
    }

    /// A home may not be `/`, a system folder, or hold (or lie in) the state dir.
    mutating func checkHome(_ home: String, name: String, node: Node) {
        guard let problem = HomeRule.problem(home: home, stateDir: environment.stateDir) else { return }
        error(node, problem.rule, problem.message(home: environment.shown(home), name: name, host: host, show: environment.shown))
    }

    /// The repo files a `src` names: itself, or every file under a folder (with relative paths).
    mutating func sourceFiles(_ src: String, node: Node) -> [(String, String)]? {
        let clean = src.hasPrefix("./") ? String(src.dropFirst(2)) : src
        if clean.hasPrefix("/") || HomePath.hasParentComponent(clean) {
            error(node, "playbook.missing-source", "src '\(src)' must be a path inside the repo (relative, without '..')")
            return nil
        }
        let trimmed = clean.hasSuffix("/") ? String(clean.dropLast()) : clean
        let files = context.repo.files
        if files.escapingLinks.contains(where: { $0.path == trimmed }) {
            error(node, "playbook.missing-source", "src '\(src)' is a symlink leaving the repo; copy the file into the repo")
            return nil
        }
        if let odd = files.oddEntry(trimmed) {
            error(node, "playbook.missing-source", "src '\(src)' is \(odd), where overlay expects a regular file; replace it with one")
            return nil
        }
        if files.paths.contains(trimmed) { return [(trimmed, "")] }
        let prefix = trimmed + "/"
        let tree = files.paths.filter { $0.hasPrefix(prefix) }.map { ($0, String($0.dropFirst(prefix.count))) }
        if tree.isEmpty {
            let hint = Suggest.closest(trimmed, in: files.paths).map { " — did you mean '\($0)'?" } ?? ""
            error(node, "playbook.missing-source", "src '\(src)' does not exist in the repo\(hint)")
            return nil
        }
        return tree
    }

    /// Parses `mode:` ("0600", 0600, "600").
    mutating func fileMode(_ node: Node) -> UInt16? {
        var digits: String?
        switch node.value {
        case .int(let i):
            // Plain 0600 is YAML 1.1 octal (384); plain 600 is decimal and meant as octal.
            if case .scalar(let raw, _) = node.kind, raw.hasPrefix("0") { return i >= 0 && i <= 0o7777 ? UInt16(i) : nil }
            digits = String(i)
        case .string(let s): digits = s.hasPrefix("0o") ? String(s.dropFirst(2)) : s
        default: break
        }
        if let d = digits, let v = UInt16(d, radix: 8), v <= 0o7777 { return v }
        error(node, "playbook.mode", "mode must be octal permission bits such as \"0600\" or \"0644\"")
        return nil
    }

    /// Flags two entries writing the same destination.
    mutating func checkDuplicateDests(_ files: [RenderedFile]) {
        var seen: [String: String] = [:]
        for f in files {
            if let other = seen[f.dest] {
                let node = spec.files.first { $0.src?.string == f.source || $0.template?.string == f.source }?.node ?? Node.scalar("")
                error(
                    node, "playbook.duplicate-dest",
                    "'\(f.source)' and '\(other)' both write '\(environment.shown(f.dest))' (host '\(host)'); keep one")
            }
            seen[f.dest] = f.source
        }
    }
}

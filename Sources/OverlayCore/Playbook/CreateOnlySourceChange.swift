/// `playbook.create-only-source-changed`: a create-only file's source edited by the change under
/// review. Hosts that already have the file keep their copy, so the edit reaches only hosts
/// seeded from now on. Which sources changed is a fact of git, which this module does not read:
/// the caller passes it in (`overlay validate` does, from the repo's last commit and work tree).
public enum CreateOnlySourceChange {
    /// The literal `src:` paths of the golden state's create-only files (as repo paths).
    public static func sources(in repo: LoadedRepo) -> [String] {
        entries(in: repo).map(\.path)
    }

    /// A warning at each create-only `src:` in `edits` (path → how it changed).
    public static func diagnostics(in repo: LoadedRepo, edits: [String: String]) -> [Diagnostic] {
        guard let doc = repo[GoldenStateFile.path] else { return [] }
        return entries(in: repo).compactMap { entry -> Diagnostic? in
            guard let how = edits[entry.path] else { return nil }
            return Diagnostic(
                file: doc.path, at: entry.node.mark, .warning, rule: "playbook.create-only-source-changed",
                "\(entry.path) is the source of a create_only file and was \(how): hosts that already have the file keep their copy and will not get this change; to give it to a host on purpose, run 'overlay apply --force-create' there (its old file is kept under backups/)"
            )
        }
    }

    private static func entries(in repo: LoadedRepo) -> [(path: String, node: Node)] {
        guard let doc = repo[GoldenStateFile.path] else { return [] }
        return GoldenStateSpec(document: doc).files.compactMap { entry in
            guard entry.createOnly, let node = entry.src, let src = node.string, !src.contains("{{") else { return nil }
            var path = src
            while path.hasPrefix("./") { path.removeFirst(2) }
            while path.hasSuffix("/") { path.removeLast() }
            return path.isEmpty || path.hasPrefix("/") || path.hasPrefix("../") ? nil : (path, node)
        }
    }
}

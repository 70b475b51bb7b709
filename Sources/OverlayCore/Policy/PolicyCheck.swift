import Foundation

/// The banned-provider and network policy over the repo (SPEC §2.2).
///
/// Structural checks look at `config.yaml` and every YAML/JSON file's secrets; the
/// text scan looks for banned names as whole words and for token-shaped literals in the
/// `scan` set. A line already reported by a structural check is not reported twice by
/// the scan.
public struct PolicyCheck: RepoCheck {
    public init() {}

    public func check(_ context: ValidationContext) -> [Diagnostic] {
        var out: [Diagnostic] = []
        let repo = context.repo
        if let config = repo["config.yaml"], let root = config.root {
            out += PolicyTreeScan(policy: context.policy, file: config.path).scan(root)
        }
        // Agent jobs name models, providers and base_urls as config.yaml does: the same tree rules.
        let agentJobFiles = Set(repo.structured(under: "cron/").filter(AgentJobsFile.isAgentJobs).map(\.path))
        for path in agentJobFiles.sorted() {
            if let root = repo[path]?.root { out += PolicyTreeScan(policy: context.policy, file: path).scan(root) }
        }
        // Literal secrets in every other structured file (inventory vars, cron env, …),
        // and the whole-word text scan, file by file in parallel.
        let docs = repo.documents.values.sorted { $0.path < $1.path }
        let policy = context.policy
        let treeSecretLines = Dictionary(
            out.filter { $0.rule == "policy.plaintext-secret" }.map { ($0.file, Set([$0.line])) }, uniquingKeysWith: { $0.union($1) })
        // Templates are tree-scanned only when rendered, i.e. for at least one host.
        let rendered = !(GoldenStateRenderer(context: context)?.siteHosts.isEmpty ?? true)
        let templateOutputs = rendered ? repo[GoldenStateFile.path].map(GoldenStateFile.structuredTemplateOutputs) ?? [:] : [:]
        let perFile = Parallel.map(docs) { doc -> (tree: [Diagnostic], text: [Diagnostic], words: [Diagnostic]) in
            var secrets: [Diagnostic] = []
            // A copied file the user excluded from the scan is theirs to vouch for; files
            // overlay reads (inventory vars, cron env, …) are always checked.
            let copied = repo.copiedSources.contains(doc.path)
            if doc.path != "config.yaml" && doc.path != ProviderPolicy.path && !agentJobFiles.contains(doc.path),
                !(copied && policy.scanExcludes(doc.path)),
                let root = doc.root
            {
                secrets = SecretScan.scan(root, file: doc.path, copied: copied)
            }
            guard policy.scanIncludes(doc.path) && !doc.text.isEmpty else { return (secrets, [], []) }
            // Tokens a tree scan reports (here, or per host for a rendered template) are not
            // reported twice.
            var treeLines = Set(secrets.map(\.line))
            if doc.path == "config.yaml" || agentJobFiles.contains(doc.path) { treeLines = treeSecretLines[doc.path] ?? [] }
            if let format = templateOutputs[doc.path] { treeLines = PolicyCheck.renderedSecretLines(doc, as: format) }
            let text = SecretTextScan.scan(doc.text, file: doc.path).filter { !treeLines.contains($0.line) }
            return (secrets, text, TextScan.scan(doc.text, file: doc.path, policy: policy))
        }
        out += perFile.flatMap(\.tree)
        var structural = Set(out.map { "\($0.file):\($0.line)" })
        // golden_state_providers items are reported by InventoryCheck, naming the hosts.
        if let inventory = context.inventory {
            for d in InventoryCheck().bannedProviders(inventory, policy: policy) { structural.insert("\(d.file):\(d.line)") }
        }
        // A line reported structurally is not repeated; several providers on one line all are.
        out += perFile.flatMap(\.text)
        out += perFile.flatMap(\.words).filter { !structural.contains("\($0.file):\($0.line)") }
        return out
    }

    /// The lines of a YAML/JSON template whose literal secrets the playbook check reports
    /// once the template is rendered: those of the source read as-is, which parses when
    /// its `{{ … }}` sit inside quoted or plain strings (substitution keeps values on their
    /// lines). A source that does not parse raw gives none, at the cost of a repeat.
    static func renderedSecretLines(_ doc: Document, as format: Document.Format) -> Set<Int> {
        let raw = DocumentLoader().parse(data: Data(doc.text.utf8), path: doc.path, format: format)
        guard let root = raw.root else { return [] }
        return Set(SecretScan.scan(root, file: doc.path).map(\.line))
    }
}

/// Literal secrets anywhere in a YAML/JSON tree.
enum SecretScan {
    /// `copied`: the file is copied by `src:`, so `scan.exclude` can exempt it (said in the message).
    static func scan(_ root: Node, file: String, copied: Bool = false) -> [Diagnostic] {
        let exempt = copied ? ", or add \(file) to scan.exclude in \(ProviderPolicy.path) if it holds no secret" : ""
        var out: [Diagnostic] = []
        func check(_ node: Node, key: String?) {
            if let key, SecretShape.mayBeSecretKey(key), let what = SecretShape.literalSecret(key: key, node: node) {
                out.append(
                    Diagnostic(
                        file: file, at: node.mark, rule: "policy.plaintext-secret",
                        "'\(key)' holds a literal \(what); move it out of the repo and reference it (${VAR} or ${secret:NAME})\(exempt)"
                    ))
            } else if let what = SecretShape.tokenLike(node) {
                out.append(
                    Diagnostic(
                        file: file, at: node.mark, rule: "policy.plaintext-secret",
                        "value looks like a literal \(what); keep secrets out of the repo and reference them (${VAR} or ${secret:NAME})\(exempt)"
                    ))
            }
        }
        // Scalars are checked where their collection lists them; only collections wait on the
        // stack. (The order diagnostics come out in is the report's sort, not this walk's.)
        guard root.pairs != nil || root.items != nil else {
            check(root, key: nil)
            return out
        }
        var stack: [(Node, String?, Int)] = [(root, nil, 0)]
        while let (node, key, depth) = stack.popLast() {
            guard depth < 128 else { continue }
            switch node.kind {
            // Entries are read in place by index: a `for` loop would copy each pair out
            // (four reference counts up and down per entry of every mapping).
            case .mapping(let pairs):
                for i in pairs.indices {
                    if case .scalar = pairs[i].value.kind {
                        check(pairs[i].value, key: SecretShape.secretTestKey(pairs[i].key))
                    } else {
                        stack.append((pairs[i].value, SecretShape.secretTestKey(pairs[i].key), depth + 1))
                    }
                }
            case .sequence(let items):
                for i in items.indices {
                    if case .scalar = items[i].kind { check(items[i], key: key) } else { stack.append((items[i], key, depth + 1)) }
                }
            case .scalar:
                check(node, key: key)
            }
        }
        return out
    }
}

/// Whole-word search for banned names in a file's text, one diagnostic per provider and line.
enum TextScan {
    static func scan(_ text: String, file: String, policy: ProviderPolicy) -> [Diagnostic] {
        let patterns = policy.banned.flatMap { p in p.patterns.map { (p, $0, Array($0.utf8)) } }
        guard !patterns.isEmpty else { return [] }
        var text = text
        return text.withUTF8 { bytes in
            // Earliest match of each provider per line: collect all matches, keep the first
            // of each provider on each line (two patterns of one provider on a line are one finding).
            var hits: [(offset: Int, provider: ProviderPolicy.BannedProvider, pattern: String)] = []
            for (p, offsets) in WholeWord.successiveOffsets(in: bytes, of: patterns.map(\.2)).enumerated() {
                for at in offsets { hits.append((at, patterns[p].0, patterns[p].1)) }
            }
            guard !hits.isEmpty else { return [] }
            hits.sort { $0.offset < $1.offset }
            var out: [Diagnostic] = []
            var line = 1
            var lineStart = 0
            var cursor = 0
            var lastLine = 0
            var providersOnLine: Set<String> = []
            for hit in hits {
                while cursor < hit.offset {
                    if bytes[cursor] == 0x0A {
                        line += 1
                        lineStart = cursor + 1
                    }
                    cursor += 1
                }
                if line != lastLine {
                    lastLine = line
                    providersOnLine = []
                }
                guard providersOnLine.insert(hit.provider.name).inserted else { continue }
                var column = 1
                for b in bytes[lineStart..<hit.offset] where b & 0xC0 != 0x80 { column += 1 }
                let why = hit.provider.reason.isEmpty ? "" : " (\(hit.provider.reason))"
                out.append(
                    Diagnostic(
                        file: file, at: Mark(line: line, column: column), rule: "policy.banned-provider",
                        "mentions '\(hit.pattern)' — banned provider '\(hit.provider.name)'\(why), banned by \(ProviderPolicy.path):\(hit.provider.mark.line); remove it or add the file to scan.exclude if it only documents the ban"
                    ))
            }
            return out
        }
    }
}

/// The banned-provider and network policy over the repo (SPEC §2.2).
///
/// Structural checks look at `config.yaml` and every YAML/JSON file's secrets; the
/// text scan looks for banned names as whole words in the `scan` set. A line
/// already reported by a structural check is not reported twice by the scan.
public struct PolicyCheck: RepoCheck {
    public init() {}

    public func check(_ context: ValidationContext) -> [Diagnostic] {
        var out: [Diagnostic] = []
        let repo = context.repo
        if let config = repo["config.yaml"], let root = config.root {
            out += PolicyTreeScan(policy: context.policy, file: config.path).scan(root)
        }
        // Literal secrets in every other structured file (inventory vars, cron env, …).
        for doc in repo.documents.values where doc.path != "config.yaml" && doc.path != ProviderPolicy.path {
            guard let root = doc.root else { continue }
            out += SecretScan.scan(root, file: doc.path)
        }
        var reported = Set(out.map { "\($0.file):\($0.line)" })
        for doc in repo.documents.values.sorted(by: { $0.path < $1.path })
        where context.policy.scanIncludes(doc.path) && !doc.text.isEmpty {
            for d in TextScan.scan(doc.text, file: doc.path, policy: context.policy) where !reported.contains("\(d.file):\(d.line)") {
                reported.insert("\(d.file):\(d.line)")
                out.append(d)
            }
        }
        return out
    }
}

/// Literal secrets anywhere in a YAML/JSON tree.
enum SecretScan {
    static func scan(_ root: Node, file: String) -> [Diagnostic] {
        var out: [Diagnostic] = []
        var stack: [(Node, String?, Int)] = [(root, nil, 0)]
        while let (node, key, depth) = stack.popLast() {
            switch node.kind {
            case .mapping(let pairs):
                for p in pairs where depth < 128 { stack.append((p.value, p.key.value.keyString, depth + 1)) }
            case .sequence(let items):
                for i in items where depth < 128 { stack.append((i, key, depth + 1)) }
            case .scalar:
                if let key, let what = SecretShape.literalSecret(key: key, node: node) {
                    out.append(Diagnostic(file: file, at: node.mark, rule: "policy.plaintext-secret",
                        "'\(key)' holds a literal \(what); move it out of the repo and reference it (${VAR} or ${secret:NAME})"))
                } else if let what = SecretShape.tokenLike(node) {
                    out.append(Diagnostic(file: file, at: node.mark, rule: "policy.plaintext-secret",
                        "value looks like a literal \(what); keep secrets out of the repo and reference them (${VAR} or ${secret:NAME})"))
                }
            }
        }
        return out
    }
}

/// Whole-word search for banned names in a file's text, one diagnostic per line.
enum TextScan {
    static func scan(_ text: String, file: String, policy: ProviderPolicy) -> [Diagnostic] {
        guard !policy.banned.isEmpty else { return [] }
        let lower = text.lowercased()
        // Fast path: most files mention no pattern at all.
        guard policy.banned.contains(where: { $0.patterns.contains(where: { lower.contains($0) }) }) else { return [] }
        var out: [Diagnostic] = []
        var lineNumber = 0
        for line in lower.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            let lineText = String(line)
            var best: (Range<String.Index>, ProviderPolicy.BannedProvider, String)?
            for provider in policy.banned {
                for pattern in provider.patterns {
                    if let r = WholeWord.firstRange(in: lineText, of: pattern), best.map({ r.lowerBound < $0.0.lowerBound }) ?? true {
                        best = (r, provider, pattern)
                    }
                }
            }
            guard let (range, provider, pattern) = best else { continue }
            let column = lineText.distance(from: lineText.startIndex, to: range.lowerBound) + 1
            let why = provider.reason.isEmpty ? "" : " (\(provider.reason))"
            out.append(Diagnostic(file: file, at: Mark(line: lineNumber, column: column), rule: "policy.banned-provider",
                "mentions '\(pattern)' — banned provider '\(provider.name)'\(why), banned by \(ProviderPolicy.path):\(provider.mark.line); remove it or add the file to scan.exclude if it only documents the ban"))
        }
        return out
    }
}

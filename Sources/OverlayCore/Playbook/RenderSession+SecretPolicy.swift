import Foundation

extension RenderSession {
    /// The provider policy on a template's secret-resolved bytes (apply only): a `base_url` or a
    /// provider name assembled from a secret must not slip past the rules validation applies to
    /// the text before secrets. Only what the secrets brought is reported — compared with the
    /// text before resolution (`unresolved`, whose `${secret:…}` hosts the network policy skips)
    /// and with each secret written `<redacted>` (for names) — and no message shows a value.
    mutating func checkResolvedPolicy(
        _ resolved: String, unresolved: String, redacted: String, secrets: [(name: String, value: String)], tplPath: String,
        dest: String, source: String
    ) {
        let subject = "with its secrets filled in for host '\(host)', '\(dest)'"
        let secretNames = secrets.map { "'\($0.name)'" }.joined(separator: ", ")
        let notShown = "it comes from secret \(secretNames) (the value is not shown)"
        let firstReference = secrets.first.map { markInText(source, name: "${secret:\($0.name)}") } ?? .start
        // Banned names anywhere in the bytes (all formats): more hits than without the secrets.
        let before = Self.bannedHits(redacted, policy: context.policy)
        for (provider, count) in Self.bannedHits(resolved, policy: context.policy).sorted(by: { $0.key < $1.key })
        where count > before[provider, default: 0] {
            guard let banned = context.policy.banned.first(where: { $0.name == provider }) else { continue }
            let from = secrets.first { context.policy.bannedProvider(namedIn: $0.value)?.0.name == provider }
            let mark = from.map { markInText(source, name: "${secret:\($0.name)}") } ?? firstReference
            let origin = from.map { "it comes from secret '\($0.name)' (the value is not shown)" } ?? notShown
            error(
                at: mark, "policy.banned-provider",
                "\(subject) names banned provider '\(banned.name)', banned by \(ProviderPolicy.path):\(banned.mark.line); \(origin) — change the secret, or the template",
                file: tplPath)
        }
        // base_url hosts and speech engines (YAML/JSON): findings the redacted text does not have.
        let format = Document.format(of: dest)
        guard format != .text, let root = DocumentLoader().parse(data: Data(resolved.utf8), path: tplPath, format: format).root else {
            return
        }
        let scan = PolicyTreeScan(policy: context.policy, file: tplPath)
        let rules: Set<String> = ["policy.remote-base-url", "policy.unknown-tts-provider", "policy.unknown-stt-provider"]
        let known =
            DocumentLoader().parse(data: Data(unresolved.utf8), path: tplPath, format: format).root.map {
                Set(scan.scan($0).map { "\($0.rule):\($0.line)" })
            } ?? []
        for d in scan.scan(root) where rules.contains(d.rule) && !known.contains("\(d.rule):\(d.line)") {
            let what =
                d.rule == "policy.remote-base-url"
                ? "sets a base_url whose host is neither loopback, private nor listed in allowed_remote_hosts (\(ProviderPolicy.path))"
                : "names a \(d.rule.contains("tts") ? "TTS" : "STT") provider the policy does not know"
            error(
                at: Mark(line: d.line, column: 1), d.rule,
                "\(subject) \(what) at line \(d.line); \(notShown) — point the secret at a local server, or list its host in allowed_remote_hosts",
                file: tplPath)
        }
    }

    /// Whole-word hits of each banned provider in `text` (the policy's text scan, counted).
    static func bannedHits(_ text: String, policy: ProviderPolicy) -> [String: Int] {
        var hits: [String: Int] = [:]
        var text = text
        text.withUTF8 { bytes in
            for provider in policy.banned {
                for pattern in provider.patterns {
                    let word = Array(pattern.lowercased().utf8)
                    var from = 0
                    while let at = WholeWord.firstOffset(in: bytes, of: word, from: from) {
                        hits[provider.name, default: 0] += 1
                        from = at + word.count
                    }
                }
            }
        }
        return hits
    }
}

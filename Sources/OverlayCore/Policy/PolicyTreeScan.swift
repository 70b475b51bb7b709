/// Walks a config-shaped tree for the policy rules that look at named providers,
/// `base_url` hosts, TTS/STT engines and literal secrets.
///
/// Used on `config.yaml` and on each host's rendered templates.
public struct PolicyTreeScan: Sendable {
    let policy: ProviderPolicy
    let file: String
    /// Appended to messages, e.g. " (rendered for host 'ezra')".
    let hostNote: String

    /// Keys whose value names a provider or a vendor-prefixed model.
    static let providerKeys: Set<String> = ["provider", "model", "default", "fallback_model", "fallback_providers", "providers"]

    public init(policy: ProviderPolicy, file: String, hostNote: String = "") {
        self.policy = policy
        self.file = file
        self.hostNote = hostNote
    }

    /// Every policy problem in the tree.
    public func scan(_ root: Node) -> [Diagnostic] {
        var out: [Diagnostic] = []
        walk(root, path: [], into: &out, depth: 0)
        out += speechEngine(root, section: "tts", known: policy.knownTTSProviders, what: "local TTS engine")
        out += speechEngine(root, section: "stt", known: policy.knownSTTProviders, what: "STT provider")
        return out
    }

    /// `tts.provider` / `stt.provider` must be one of the policy's known engines.
    private func speechEngine(_ root: Node, section: String, known: [String], what: String) -> [Diagnostic] {
        guard let node = root[section]?["provider"], let name = node.string, !known.isEmpty, !known.contains(name) else { return [] }
        return [
            Diagnostic(
                file: file, at: node.mark, rule: "policy.unknown-\(section)-provider",
                "\(section).provider '\(name)' is not a known \(what)\(hostNote); use one of \(known.joined(separator: ", ")) (known_\(section)_providers in \(ProviderPolicy.path))"
            )
        ]
    }

    private func walk(_ node: Node, path: [String], into out: inout [Diagnostic], depth: Int) {
        guard depth < 128 else { return }
        switch node.kind {
        case .mapping(let pairs):
            for pair in pairs {
                let key = pair.key.value.keyString
                let childPath = path + [key]
                if path.last == "providers" || path.last == "custom_providers" {
                    bannedName(key, node: pair.key, path: childPath, into: &out)
                }
                if Self.providerKeys.contains(key) { providerValue(pair.value, path: childPath, into: &out) }
                if key == "base_url", let url = pair.value.string { remoteURL(url, node: pair.value, path: childPath, into: &out) }
                if let secret = SecretShape.literalSecret(key: key, node: pair.value) {
                    out.append(
                        Diagnostic(
                            file: file, at: pair.value.mark, rule: "policy.plaintext-secret",
                            "\(childPath.joined(separator: ".")) holds a literal \(secret)\(hostNote); move it out of the repo and write a reference such as ${MODEL_API_KEY}, key_env: NAME or ${secret:NAME}"
                        ))
                }
                walk(pair.value, path: childPath, into: &out, depth: depth + 1)
            }
        case .sequence(let items):
            for (i, item) in items.enumerated() { walk(item, path: path + [String(i)], into: &out, depth: depth + 1) }
        case .scalar:
            if let secret = SecretShape.tokenLike(node), !(path.last.map(SecretShape.isSecretKey) ?? false) {
                out.append(
                    Diagnostic(
                        file: file, at: node.mark, rule: "policy.plaintext-secret",
                        "\(path.joined(separator: ".")) looks like a literal \(secret)\(hostNote); keep secrets out of the repo and reference them (${VAR} or ${secret:NAME})"
                    ))
            }
        }
    }

    private func providerValue(_ node: Node, path: [String], into out: inout [Diagnostic]) {
        switch node.kind {
        case .scalar: if let s = node.string { bannedName(s, node: node, path: path, into: &out) }
        case .sequence(let items):
            for item in items { if let s = item.string { bannedName(s, node: item, path: path, into: &out) } }
        case .mapping: break
        }
    }

    private func bannedName(_ text: String, node: Node, path: [String], into out: inout [Diagnostic]) {
        guard let (banned, pattern) = policy.bannedProvider(namedIn: text) else { return }
        let why = banned.reason.isEmpty ? "" : " (\(banned.reason))"
        out.append(
            Diagnostic(
                file: file, at: node.mark, rule: "policy.banned-provider",
                "\(path.joined(separator: ".")) names '\(text)', which matches banned provider '\(banned.name)' (pattern '\(pattern)')\(why), banned by \(ProviderPolicy.path):\(banned.mark.line)\(hostNote); use a local provider instead"
            ))
    }

    private func remoteURL(_ url: String, node: Node, path: [String], into out: inout [Diagnostic]) {
        guard let host = NetworkPolicy.host(ofURL: url) else { return }
        if NetworkPolicy.isLocal(host) { return }
        if policy.allowedRemoteHosts.contains(where: {
            Glob.fnmatch(Array($0.unicodeScalars)[...], Array(host.lowercased().unicodeScalars)[...])
        }) {
            return
        }
        out.append(
            Diagnostic(
                file: file, at: node.mark, rule: "policy.remote-base-url",
                "\(path.joined(separator: ".")) points at remote host '\(host)'\(hostNote); only loopback and private addresses are allowed — add '\(host)' to allowed_remote_hosts in \(ProviderPolicy.path) if it is yours"
            ))
    }
}

/// The banned-provider and network policy of `policy/providers.yaml`.
public struct ProviderPolicy: Sendable {
    /// One banned provider and the words that name it.
    public struct BannedProvider: Sendable {
        public var name: String
        /// Lower-cased whole words that count as naming it.
        public var patterns: [String]
        public var reason: String
        /// Where the ban is written, for "banned by policy/providers.yaml:LINE".
        public var mark: Mark
    }

    /// Where the policy lives in the repo.
    public static let path = "policy/providers.yaml"

    public var banned: [BannedProvider] = []
    public var allowedRemoteHosts: [String] = []
    public var knownTTSProviders: [String] = []
    public var knownSTTProviders: [String] = []
    public var scanInclude: [Glob] = ["**/*.yaml", "**/*.yml", "**/*.json", "**/*.md", "**/*.sh"].map(Glob.init)
    public var scanExclude: [Glob] = ["policy/**", "Tests/**", ".build/**"].map(Glob.init)

    /// The policy used when the repo has no providers file: nothing banned, default scan.
    public static let defaultPolicy = ProviderPolicy()

    init() {}

    /// The parsed policy (nil when the file is unusable) and the problems in it.
    public init(document: Document) {
        self.init()
        guard let root = document.root else { return }
        var diags: [Diagnostic] = []
        let file = document.path
        func strings(_ node: Node?, _ key: String) -> [String] {
            guard let node else { return [] }
            guard let items = node.items else {
                diags.append(Diagnostic(file: file, at: node.mark, rule: "policy.syntax", "'\(key)' must be a list of strings"))
                return []
            }
            return items.compactMap { item in
                if let s = item.string { return s }
                diags.append(Diagnostic(file: file, at: item.mark, rule: "policy.syntax", "'\(key)' entries must be strings"))
                return nil
            }
        }
        guard let pairs = root.pairs else {
            diags.append(Diagnostic(file: file, at: root.mark, rule: "policy.syntax", "the policy must be a mapping with banned_providers, allowed_remote_hosts, …"))
            self.diagnostics = diags
            return
        }
        let known = ["banned_providers", "allowed_remote_hosts", "known_tts_providers", "known_stt_providers", "scan"]
        for pair in pairs {
            let key = pair.key.scalarText ?? ""
            switch key {
            case "banned_providers":
                for item in pair.value.items ?? [] {
                    if let name = item.string {
                        banned.append(BannedProvider(name: name.lowercased(), patterns: [name.lowercased()], reason: "", mark: item.mark))
                    } else if let name = item["name"]?.string {
                        var patterns = strings(item["patterns"], "patterns").map { $0.lowercased() }
                        if patterns.isEmpty { patterns = [name.lowercased()] }
                        banned.append(
                            BannedProvider(name: name.lowercased(), patterns: patterns, reason: item["reason"]?.string ?? "", mark: item.mark))
                    } else {
                        diags.append(Diagnostic(file: file, at: item.mark, rule: "policy.syntax", "each banned provider needs a 'name' (and optional 'patterns', 'reason')"))
                    }
                }
            case "allowed_remote_hosts": allowedRemoteHosts = strings(pair.value, key).map { $0.lowercased() }
            case "known_tts_providers": knownTTSProviders = strings(pair.value, key)
            case "known_stt_providers": knownSTTProviders = strings(pair.value, key)
            case "scan":
                if pair.value["include"] != nil { scanInclude = strings(pair.value["include"], "scan.include").map(Glob.init) }
                if pair.value["exclude"] != nil { scanExclude = strings(pair.value["exclude"], "scan.exclude").map(Glob.init) }
            default:
                let hint = Suggest.closest(key, in: known).map { " — did you mean '\($0)'?" } ?? ""
                diags.append(Diagnostic(file: file, at: pair.key.mark, rule: "policy.syntax", "unknown key '\(key)' in the policy\(hint)"))
            }
        }
        self.diagnostics = diags
        self.isUsable = true
    }

    /// Problems in the policy file itself.
    public private(set) var diagnostics: [Diagnostic] = []
    /// False when the file could not be read as a policy.
    public private(set) var isUsable = false

    /// The policy if usable.
    public var policy: ProviderPolicy? { isUsable ? self : nil }

    /// True when the text scan covers `path`.
    public func scanIncludes(_ path: String) -> Bool {
        scanInclude.contains { $0.matches(path) } && !scanExclude.contains { $0.matches(path) }
    }

    /// The banned provider that `text` names as a whole word (case-insensitive), if any.
    public func bannedProvider(namedIn text: String) -> (BannedProvider, String)? {
        let lower = text.lowercased()
        for provider in banned {
            for pattern in provider.patterns where WholeWord.contains(lower, pattern) {
                return (provider, pattern)
            }
        }
        return nil
    }
}

/// Whole-word search: the match is not preceded or followed by a letter or digit.
public enum WholeWord {
    /// True when `word` occurs in `text` with word boundaries on both sides.
    public static func contains(_ text: String, _ word: String) -> Bool {
        firstRange(in: text, of: word) != nil
    }

    /// The first whole-word occurrence of `word` in `text` (both already lower-cased).
    public static func firstRange(in text: String, of word: String) -> Range<String.Index>? {
        guard !word.isEmpty else { return nil }
        var search = text.startIndex..<text.endIndex
        while let r = text.range(of: word, range: search) {
            let beforeOK = r.lowerBound == text.startIndex || !isWordChar(text[text.index(before: r.lowerBound)])
            let afterOK = r.upperBound == text.endIndex || !isWordChar(text[r.upperBound])
            if beforeOK && afterOK { return r }
            search = text.index(after: r.lowerBound)..<text.endIndex
        }
        return nil
    }

    static func isWordChar(_ c: Character) -> Bool { c.isLetter || c.isNumber || c == "_" }
}

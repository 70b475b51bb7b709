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

    /// The policy used when the repo has no usable providers file (a missing one is
    /// `policy.missing`): nothing banned, default scan.
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
            diags.append(
                Diagnostic(
                    file: file, at: root.mark, rule: "policy.syntax",
                    "the policy must be a mapping with banned_providers, allowed_remote_hosts, …"))
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
                            BannedProvider(
                                name: name.lowercased(), patterns: patterns, reason: item["reason"]?.string ?? "", mark: item.mark))
                    } else {
                        diags.append(
                            Diagnostic(
                                file: file, at: item.mark, rule: "policy.syntax",
                                "each banned provider needs a 'name' (and optional 'patterns', 'reason')"))
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
        let parts = Glob.segments(of: path)
        return scanInclude.contains { $0.matches(segments: parts) } && !scanExcludes(path)
    }

    /// True when `scan.exclude` names `path` (whatever `scan.include` says).
    public func scanExcludes(_ path: String) -> Bool {
        let parts = Glob.segments(of: path)
        return scanExclude.contains { $0.matches(segments: parts) }
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

/// Whole-word, ASCII-case-insensitive search over UTF-8 bytes.
///
/// Byte-level on purpose: the text scan runs over every scanned file, and
/// Foundation's string search was most of validate's time on large repos.
public enum WholeWord {
    /// True when `word` occurs in `text` with word boundaries on both sides.
    public static func contains(_ text: String, _ word: String) -> Bool {
        var t = text
        return t.withUTF8 { firstOffset(in: $0, of: Array(word.lowercased().utf8)) } != nil
    }

    /// The byte offset of the first whole-word match of `word` (lower-case bytes) in `text`.
    public static func firstOffset(in text: UnsafeBufferPointer<UInt8>, of word: [UInt8], from start: Int = 0) -> Int? {
        guard let first = word.first, word.count <= text.count else { return nil }
        let n = text.count
        let m = word.count
        var i = start
        while i + m <= n {
            if lower(text[i]) == first {
                var k = 1
                while k < m && lower(text[i + k]) == word[k] { k += 1 }
                if k == m && (i == 0 || !isWordByte(text[i - 1])) && (i + m == n || !isWordByte(text[i + m])) {
                    return i
                }
            }
            i += 1
        }
        return nil
    }

    /// For each word (lower-case bytes), the offsets `firstOffset` finds when called again
    /// from just past each match: one pass over `text` for all words, not one per word.
    public static func successiveOffsets(in text: UnsafeBufferPointer<UInt8>, of words: [[UInt8]]) -> [[Int]] {
        var out = [[Int]](repeating: [], count: words.count)
        // All words in one flat buffer (no array to retain per candidate byte), and which
        // bytes start a word at all.
        let flat = words.flatMap { $0 }
        var starts: [Int] = []
        var offset = 0
        for word in words {
            starts.append(offset)
            offset += word.count
        }
        var isFirst = [Bool](repeating: false, count: 256)
        for word in words { if let first = word.first { isFirst[Int(first)] = true } }
        var next = [Int](repeating: 0, count: words.count)
        let n = text.count
        flat.withUnsafeBufferPointer { letters in
            for i in 0..<n where isFirst[Int(lower(text[i]))] {
                let b = lower(text[i])
                for w in 0..<words.count where i >= next[w] {
                    let from = starts[w]
                    let m = (w + 1 < starts.count ? starts[w + 1] : letters.count) - from
                    guard m > 0, letters[from] == b, i + m <= n else { continue }
                    var k = 1
                    while k < m && lower(text[i + k]) == letters[from + k] { k += 1 }
                    if k == m && (i == 0 || !isWordByte(text[i - 1])) && (i + m == n || !isWordByte(text[i + m])) {
                        out[w].append(i)
                        next[w] = i + m
                    }
                }
            }
        }
        return out
    }

    @inline(__always) static func lower(_ b: UInt8) -> UInt8 { b >= 65 && b <= 90 ? b + 32 : b }

    /// Letters, digits, `_` and any non-ASCII byte (part of a non-ASCII letter) join words.
    @inline(__always) static func isWordByte(_ b: UInt8) -> Bool {
        (b >= 48 && b <= 57) || (b >= 65 && b <= 90) || (b >= 97 && b <= 122) || b == 95 || b >= 0x80
    }
}

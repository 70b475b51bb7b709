/// What data may become training data: `policy/data.yaml`.
///
/// ```yaml
/// consent_levels: [training, training-and-eval]   # a record's `consent` must be one of these
/// ```
///
/// A job step's `provenance:` check reads it: every record must carry `session_id`,
/// `license` and a `consent` that is one of these levels.
public struct DataPolicy: Sendable {
    /// Where the policy lives in the repo.
    public static let path = "policy/data.yaml"

    /// The consent levels that allow a session's data into training.
    public private(set) var consentLevels: [String] = []
    /// Problems in the file.
    public private(set) var diagnostics: [Diagnostic] = []

    /// A policy with these levels (for tests and callers that have them already).
    public init(consentLevels: [String]) {
        self.consentLevels = consentLevels
    }

    /// Reads the policy document; `consentLevels` is empty when it is unusable.
    public init(document: Document) {
        guard let root = document.root else { return }
        let file = document.path
        guard let pairs = root.pairs else {
            diagnostics.append(
                Diagnostic(file: file, at: root.mark, rule: "policy.syntax", "\(file) must be a mapping with consent_levels"))
            return
        }
        for pair in pairs {
            let key = pair.key.value.keyString
            guard key == "consent_levels" else {
                let hint = Suggest.closest(key, in: ["consent_levels"]).map { " — did you mean '\($0)'?" } ?? ""
                diagnostics.append(
                    Diagnostic(file: file, at: pair.key.mark, rule: "policy.syntax", "unknown key '\(key)' in \(file)\(hint)"))
                continue
            }
            guard let items = pair.value.items, !items.isEmpty else {
                diagnostics.append(
                    Diagnostic(
                        file: file, at: pair.value.mark, rule: "policy.syntax",
                        "consent_levels must be a non-empty list of strings (the levels that allow training on a session)"))
                continue
            }
            for item in items {
                if let s = item.string, !s.isEmpty {
                    consentLevels.append(s)
                } else {
                    diagnostics.append(
                        Diagnostic(file: file, at: item.mark, rule: "policy.syntax", "consent levels must be non-empty strings"))
                }
            }
        }
        if pairs.allSatisfy({ $0.key.value.keyString != "consent_levels" }) {
            diagnostics.append(
                Diagnostic(
                    file: file, at: root.mark, rule: "policy.syntax",
                    "\(file) needs consent_levels: the levels that allow training on a session"))
        }
    }

    /// The repo's data policy, or nil when there is no usable one.
    public static func of(_ repo: LoadedRepo) -> DataPolicy? {
        guard let doc = repo[path] else { return nil }
        let policy = DataPolicy(document: doc)
        return policy.consentLevels.isEmpty ? nil : policy
    }
}

/// Reports problems in `policy/data.yaml` (it is optional: only `provenance:` needs it).
public struct DataPolicyCheck: RepoCheck {
    public init() {}
    public func check(_ context: ValidationContext) -> [Diagnostic] {
        guard let doc = context.repo[DataPolicy.path], doc.root != nil else { return [] }
        return DataPolicy(document: doc).diagnostics
    }
}

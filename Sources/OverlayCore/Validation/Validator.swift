import Foundation

/// The outcome of `overlay validate`.
public struct ValidationReport: Sendable {
    /// Number of files read.
    public var files: Int
    /// Every problem, in report order.
    public var diagnostics: [Diagnostic]
    /// True when there are no errors (and, with `strict`, no warnings).
    public func passed(strict: Bool) -> Bool {
        diagnostics.errorCount == 0 && (!strict || diagnostics.warningCount == 0)
    }
}

/// Runs every check over a repo and gathers all diagnostics in one pass.
public struct Validator: Sendable {
    /// The checks, in the order their families are documented.
    public var checks: [any RepoCheck] = Validator.standardChecks

    /// All checks overlay runs by default.
    public static let standardChecks: [any RepoCheck] = [
        DocumentCheck(),
        PolicyFileCheck(),
        SchemaCheck(),
        PolicyCheck(),
        SoulCheck(),
        PlaybookCheck(),
        JobPlaybookCheck(),
        DataPolicyCheck(),
        CronCheck(),
        InventoryCheck(),
    ]

    public init() {}

    /// Validates the repo at `root`.
    public func validate(root: URL) -> ValidationReport {
        validate(ValidationContext(repo: LoadedRepo(root: root)))
    }

    /// Validates an already loaded repo.
    public func validate(_ context: ValidationContext) -> ValidationReport {
        // Checks are independent readers of the same context: run them side by side.
        let all = Parallel.map(checks) { $0.check(context) }.flatMap { $0 }
        return ValidationReport(files: context.repo.documents.count, diagnostics: all.sortedForReport())
    }
}

/// Reports what the document layer found: syntax, encoding, limits, escaping symlinks.
public struct DocumentCheck: RepoCheck {
    public init() {}
    public func check(_ context: ValidationContext) -> [Diagnostic] {
        var out: [Diagnostic] = []
        for doc in context.repo.documents.values where doc.path != SoulCheck.path { out += doc.diagnostics }
        for link in context.repo.files.escapingLinks {
            let family = Document.format(of: link.path) == .json ? "json" : "yaml"
            out.append(
                Diagnostic(
                    file: link.path, at: .start, rule: "\(family).symlink-escape",
                    "symlink points outside the repo (to \(link.target)); overlay does not follow it — copy the file into the repo or remove the link"
                ))
        }
        for entry in context.repo.files.unreadable {
            let family = Document.format(of: entry.path) == .json ? "json" : "yaml"
            out.append(
                Diagnostic(
                    file: entry.path, at: .start, rule: "\(family).unreadable",
                    "\(entry.path) is \(entry.reason); overlay does not open it — replace it with a regular file or remove it"))
        }
        return out
    }
}

/// Reports problems in `policy/providers.yaml` itself, and its absence.
public struct PolicyFileCheck: RepoCheck {
    public init() {}
    public func check(_ context: ValidationContext) -> [Diagnostic] {
        guard let doc = context.repo[ProviderPolicy.path] else {
            // The default policy bans nothing: a deleted file must not pass as a clean repo.
            guard context.repo.files.isMissing(ProviderPolicy.path) else { return [] }
            return [
                Diagnostic(
                    file: ProviderPolicy.path, at: .start, rule: "policy.missing",
                    "\(ProviderPolicy.path) is missing: it lists the banned providers, allowed remote hosts, known TTS/STT engines and the text-scan scope, so nothing is banned without it; restore it (git checkout -- \(ProviderPolicy.path)) or write one with banned_providers, allowed_remote_hosts, known_tts_providers, known_stt_providers and scan"
                )
            ]
        }
        guard doc.root != nil else { return [] }
        return ProviderPolicy(document: doc).diagnostics
    }
}

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
        AgentJobsCheck(),
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

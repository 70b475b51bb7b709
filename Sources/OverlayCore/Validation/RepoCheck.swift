import Foundation

/// One family of checks over the loaded repo.
///
/// Checks never throw and never stop at the first problem: they return every
/// diagnostic they find, each located at the offending node.
public protocol RepoCheck: Sendable {
    /// Returns the problems this check finds.
    func check(_ context: ValidationContext) -> [Diagnostic]
}

/// What every check can read: the parsed repo and the models built from it once.
public struct ValidationContext: Sendable {
    /// The repo, read once.
    public let repo: LoadedRepo
    /// The provider policy (the default policy when the file is missing or broken).
    public let policy: ProviderPolicy
    /// The inventory: the repo's `inventory/hosts.yml` when it exists and parsed, or the one
    /// given with `-i`.
    public let inventory: Inventory?
    /// Every problem reading an inventory given with `-i` (its file and vars files are not
    /// repo files, so no other check sees them); nil for the repo's own inventory.
    public let externalInventoryProblems: [Diagnostic]?

    /// Builds the shared models.
    public init(repo: LoadedRepo) {
        self.repo = repo
        self.policy = Self.policy(of: repo)
        self.inventory = Inventory.find(in: repo)
        self.externalInventoryProblems = nil
    }

    /// Builds the shared models with the inventory at `inventoryFile` (named `reportedAs` in
    /// diagnostics) in place of the repo's own.
    public init(repo: LoadedRepo, inventoryFile: URL, reportedAs: String) {
        self.repo = repo
        self.policy = Self.policy(of: repo)
        (self.inventory, self.externalInventoryProblems) = Inventory.load(file: inventoryFile, reportedAs: reportedAs)
    }

    private static func policy(of repo: LoadedRepo) -> ProviderPolicy {
        repo[ProviderPolicy.path].flatMap { ProviderPolicy(document: $0).policy } ?? .defaultPolicy
    }
}

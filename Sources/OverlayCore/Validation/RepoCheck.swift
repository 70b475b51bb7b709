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
    /// The inventory, when `inventory/hosts.yml` exists and parsed.
    public let inventory: Inventory?

    /// Builds the shared models.
    public init(repo: LoadedRepo) {
        self.repo = repo
        self.policy = repo[ProviderPolicy.path].flatMap { ProviderPolicy(document: $0).policy } ?? .defaultPolicy
        self.inventory = Inventory.find(in: repo)
    }
}

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
    /// The hosts whose golden state is rendered by validation; nil renders every targeted host.
    /// `converge --limit` validates only the hosts it acts on.
    public let hostScope: Set<String>?
    /// Counts the golden-state renders made through this context (what a limited converge
    /// saves is measured with it).
    public let renders = RenderTally()

    /// Builds the shared models.
    public init(repo: LoadedRepo, hostScope: Set<String>? = nil) {
        self.repo = repo
        self.policy = Self.policy(of: repo)
        self.inventory = Inventory.find(in: repo)
        self.externalInventoryProblems = nil
        self.hostScope = hostScope
    }

    /// Builds the shared models with the inventory at `inventoryFile` (named `reportedAs` in
    /// diagnostics) in place of the repo's own.
    public init(repo: LoadedRepo, inventoryFile: URL, reportedAs: String, hostScope: Set<String>? = nil) {
        self.repo = repo
        self.policy = Self.policy(of: repo)
        (self.inventory, self.externalInventoryProblems) = Inventory.load(file: inventoryFile, reportedAs: reportedAs)
        self.hostScope = hostScope
    }

    /// The same loaded repo and models with another host scope (nothing is read again).
    public init(rebinding other: ValidationContext, hostScope: Set<String>?) {
        self.repo = other.repo
        self.policy = other.policy
        self.inventory = other.inventory
        self.externalInventoryProblems = other.externalInventoryProblems
        self.hostScope = hostScope
    }

    /// True when validation renders `host` (it is in the scope, or there is no scope).
    public func rendersForValidation(_ host: String) -> Bool { hostScope?.contains(host) ?? true }

    private static func policy(of repo: LoadedRepo) -> ProviderPolicy {
        repo[ProviderPolicy.path].flatMap { ProviderPolicy(document: $0).policy } ?? .defaultPolicy
    }
}

/// A thread-safe count of golden-state renders.
public final class RenderTally: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0

    /// A tally at zero.
    public init() {}

    /// Renders counted so far.
    public var count: Int {
        lock.lock()
        defer { lock.unlock() }
        return value
    }

    func increment() {
        lock.lock()
        value += 1
        lock.unlock()
    }
}

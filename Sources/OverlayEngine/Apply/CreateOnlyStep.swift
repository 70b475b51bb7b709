import Foundation
import OverlayCore
import OverlayRuntime

/// The create-only step of an apply (`create_only: true` files), beside the crontab and
/// agent-jobs steps and shaped like them: checked before the switch (a dest outside the homes,
/// behind a symlink or taken by a folder refuses the whole apply), placed after it while the
/// state lock is held. It never runs for a rollback: a rollback leaves create-only files alone.
struct CreateOnlyStep {
    let files: CreateOnlyFiles
    let forceCreate: Bool

    /// Checks every create-only dest against the disk (nothing changes).
    init(state: RenderedState, stateDir: StateDirectory, forceCreate: Bool) throws(ApplyError) {
        files = CreateOnlyFiles(state, state: stateDir)
        self.forceCreate = forceCreate
        _ = try files.plan(forceCreate: forceCreate)
    }

    /// Plans again — after the switch, the generation's own removals are done — and, unless
    /// dry, writes. A failure here is the outcome's, the switch stands.
    func run(dryRun: Bool, clock: any WallClock) -> CreateOnlyOutcome {
        let plan: [SeedItem]
        do { plan = try files.plan(forceCreate: forceCreate) } catch {
            return CreateOnlyOutcome(items: [], failures: ["create-only files not placed: \(error.description); the file switch stands"])
        }
        if dryRun { return CreateOnlyOutcome(items: plan, failures: []) }
        let placed = files.place(plan, clock: clock)
        let failures = placed.failures.map { "create-only file \($0.path) not written: \($0.error.description); the file switch stands" }
        return CreateOnlyOutcome(items: placed.items, failures: failures)
    }
}

/// What the create-only step of an apply did (or, dry, would do).
public struct CreateOnlyOutcome: Sendable {
    /// One item per create-only file, and per file no longer declared.
    public var items: [SeedItem]
    /// Why paths were not written (each one sentence).
    public var failures: [String]

    /// Warnings the user should read: sources that changed since their file was seeded.
    public var warnings: [String] { items.compactMap(\.sourceChanged) }
    /// True when a file was (or would be) written.
    public var changedAnything: Bool { items.contains(where: \.writes) }
}

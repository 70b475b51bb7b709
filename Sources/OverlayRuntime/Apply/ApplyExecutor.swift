import Foundation
import OverlayCore

/// Runs render → plan → apply for one host against a state dir (SPEC §3.2).
///
/// Order of effects (docs/apply.md explains why each is safe to interrupt):
/// lock → clean leftovers → plan → stage and sync the generation → ledger (old ∪ new) →
/// new symlinks → **rename `current`** → replacements, copies, removals → ledger (new) →
/// prune → handlers.
public struct ApplyExecutor: Sendable {
    public let state: StateDirectory
    public var clock: any WallClock

    public init(state: StateDirectory, clock: any WallClock = SystemClock()) {
        self.state = state
        self.clock = clock
    }

    /// The plan for `rendered`, read-only: no lock, no folder created (dry run, diff).
    ///
    /// A generation also records the cron jobs (with `crontabTarget`) and the handlers, so that
    /// a rollback can put them back; when they differ from the live generation's record, a new
    /// generation is needed even if no file changed.
    public func plan(_ rendered: RenderedState, crontabTarget: String? = nil) throws(ApplyError) -> ApplyPlan {
        let store = GenerationStore(state: state)
        let current = try store.current()
        let guardrail = PathGuard(homes: rendered.homes, protected: rendered.protected, stateDir: state.path)
        let targets = try TargetFiles.from(rendered, guardrail: guardrail)
        let builder = PlanBuilder(
            state: state, current: current, ledger: try ManagedLedger.load(state),
            guardrail: removalGuard(rendered, current: current))
        var plan = try builder.build(host: rendered.host, homes: rendered.homes, targets: targets)
        plan.cron = crontabTarget.map { Generation.Cron(target: $0, jobs: rendered.cronJobs) }
        plan.handlers = rendered.handlers.map(Generation.Handler.init)
        if let current, current.cron != plan.cron || current.handlers != plan.handlers { plan.needsGeneration = true }
        return plan
    }

    /// Applies `rendered`; with `dryRun` only plans.
    ///
    /// `whileLocked` runs last, before the state lock is released (in a dry run: after planning):
    /// the caller's crontab install, so that a concurrent apply or rollback cannot leave this
    /// generation's jobs installed while a newer generation is live. A failure after the switch
    /// does not throw: the switch stands, the rest of the run goes on, and the report carries it
    /// (`afterSwitchFailure`).
    public func apply(
        _ rendered: RenderedState, options: ApplyOptions, whileLocked: (ApplyReport) -> Void = { _ in }
    ) throws(ApplyError) -> ApplyReport {
        if options.dryRun {
            let plan = try plan(rendered, crontabTarget: options.crontabTarget)
            let report = ApplyReport(plan: plan, generation: AtomicSwitch.current(in: state), switched: false)
            whileLocked(report)
            return report
        }
        let lock = try StateLock.acquire(state, timeout: options.lockTimeout)
        defer { lock.release() }
        let store = GenerationStore(state: state)
        let cleaned = store.cleanLeftovers()
        var plan = try plan(rendered, crontabTarget: options.crontabTarget)
        if !plan.replaced.isEmpty && !options.force { throw .unmanagedReplacement(paths: plan.replaced) }
        var live = store.currentNumber()
        if let live { try repairGeneration(live, &plan) }
        var switched = false
        var newNumber: Int?
        var originals: [String: String] = [:]
        if plan.needsGeneration {
            let n = store.nextNumber()
            let record = try GenerationBuilder(state: state, store: store).build(
                number: n, plan: plan, host: rendered.host, commit: options.commit ?? options.describeCommit?(), previous: live,
                time: clock.now())
            let takenOver = Set(plan.items.filter { $0.action == .backedUp }.map(\.path))
            for b in record.backups where takenOver.contains(b.dest) {
                originals[b.dest] = "generations/\(n)/" + b.path
            }
            newNumber = n
        }
        let failures = try place(plan, switchTo: newNumber, originals: originals)
        if let newNumber {
            live = newNumber
            switched = true
        }
        var report = ApplyReport(plan: plan, generation: live, switched: switched, cleaned: cleaned)
        report.afterSwitchFailure = Self.afterSwitch(failures, generation: live, rerun: "overlay apply")
        report.pruned = store.prune(keep: options.keep)
        if options.runHandlers {
            let due = HandlerRunner.triggered(rendered.handlers, changed: Self.changedPaths(plan, failures: failures))
            report.handlers = HandlerRunner(state: state).run(due, clock: clock)
        }
        whileLocked(report)
        return report
    }

    /// The paths the run changed in the homes (what triggers handlers): not `kept`, not failed.
    private static func changedPaths(_ plan: ApplyPlan, failures: [Placement]) -> Set<String> {
        let failed = Set(failures.map(\.path))
        return Set(plan.changes.filter { $0.action != .kept && !failed.contains($0.path) }.map(\.path))
    }

    /// The `afterSwitch` error for `failures` (nil when there are none).
    private static func afterSwitch(_ failures: [Placement], generation: Int?, rerun: String) -> ApplyError? {
        guard let first = failures.first else { return nil }
        return .afterSwitch(generation: generation, paths: failures.map(\.path), underlying: first.error, rerun: rerun)
    }

    /// Switches back to generation `to` (default: the one before the current) and reconciles the homes.
    ///
    /// `whileLocked` runs last, before the state lock is released (the caller's crontab reinstall);
    /// a failure after the switch is reported as by `apply`.
    public func rollback(
        to: Int?, options: ApplyOptions, whileLocked: (ApplyReport) -> Void = { _ in }
    ) throws(ApplyError) -> ApplyReport {
        let lock = try StateLock.acquire(state, timeout: options.lockTimeout)
        defer { lock.release() }
        let store = GenerationStore(state: state)
        let cleaned = store.cleanLeftovers()
        guard let current = try store.current() else { throw .nothingToRollBack("no generation is live yet") }
        let number: Int
        if let to {
            number = to
        } else if let previous = store.numbers().filter({ $0 < current.number }).last {
            number = previous
        } else {
            throw .nothingToRollBack("generation \(current.number) is the oldest")
        }
        let target = try store.load(number)
        if !options.force {
            let changed = GenerationIntegrity.changedFiles(of: target, state: state)
            if !changed.isEmpty { throw .generationChanged(number: number, paths: changed) }
        }
        let guardrail = PathGuard(homes: target.homes.merging(current.homes) { a, _ in a }, protected: [], stateDir: state.path)
        var builder = PlanBuilder(
            state: state, current: current, ledger: try ManagedLedger.load(state), guardrail: guardrail)
        builder.checkGenerationFiles = false
        var plan = try builder.build(
            host: target.host, homes: target.homes,
            targets: try TargetFiles.from(target, state: state, guardrail: guardrail))
        if !plan.replaced.isEmpty && !options.force { throw .unmanagedReplacement(paths: plan.replaced) }
        let originals = try keepRollbackBackups(&plan, from: current.number)
        let switching = number != current.number
        let failures = try place(plan, switchTo: switching ? number : nil, originals: originals)
        var report = ApplyReport(plan: plan, generation: number, switched: switching, cleaned: cleaned)
        report.rolledBackTo = target
        report.afterSwitchFailure = Self.afterSwitch(failures, generation: number, rerun: "overlay rollback --to \(number)")
        // The target's own handlers, as apply would have run them for the same changes; a
        // generation that did not record its handlers runs none (the caller says so).
        let changed = Self.changedPaths(plan, failures: failures)
        if let handlers = target.handlers {
            let due = HandlerRunner.triggered(handlers.map(\.rendered), changed: changed)
            if options.runHandlers { report.handlers = HandlerRunner(state: state).run(due, clock: clock) }
        } else {
            // The nearest guess at what should run: the handlers of the generation being left.
            let left = (current.handlers ?? []).map(\.rendered)
            report.handlersNotRun = HandlerRunner.triggered(left, changed: changed).map(\.name)
        }
        whileLocked(report)
        return report
    }

    /// A rollback builds no generation, so what it displaces goes to `backups/rollback-*`.
    /// Returns dest → backup (relative to the state dir) for unmanaged files it takes over.
    private func keepRollbackBackups(_ plan: inout ApplyPlan, from: Int) throws(ApplyError) -> [String: String] {
        let name = "rollback-from-\(from)-\(Int(clock.now().timeIntervalSince1970))"
        var originals: [String: String] = [:]
        for i in plan.items.indices where plan.items[i].backup {
            guard let source = plan.items[i].oldContentPath, let t = plan.items[i].target else { continue }
            let relative = "backups/" + name + "/" + t.home + "/" + t.relative
            let path = state.path + "/" + relative
            try POSIX.makeDirectories((path as NSString).deletingLastPathComponent, mode: 0o700)
            try GenerationBuilder.copyEntry(from: source, to: path, sync: true)
            plan.items[i].backup = false
            if plan.items[i].action == .backedUp { originals[t.dest] = relative }
        }
        return originals
    }

    /// Rewrites the files of live generation `n` that were edited through their symlinks, from the
    /// target's bytes (which have the recorded hash), so the generation is again what it was built
    /// as. Each edit is kept first under `backups/edited-gen-N-TIME/`; the reason says where.
    private func repairGeneration(_ n: Int, _ plan: inout ApplyPlan) throws(ApplyError) {
        let name = "edited-gen-\(n)-\(Int(clock.now().timeIntervalSince1970))"
        var stats: [String: FileStat] = [:]
        for i in plan.items.indices where plan.items[i].repair {
            guard let t = plan.items[i].target, let file = plan.items[i].oldContentPath else { continue }
            let kept = state.backupsPath + "/" + name + "/" + t.home + "/" + t.relative
            try POSIX.makeDirectories((kept as NSString).deletingLastPathComponent, mode: 0o700)
            try GenerationBuilder.copyEntry(from: file, to: kept, sync: true)
            try POSIX.makeDirectories((file as NSString).deletingLastPathComponent, mode: 0o700)
            try DurableFile.replace(file, with: try t.bytes(), mode: Generation.storedMode(t.mode))
            stats[t.dest] = POSIX.statFile(file)
            plan.items[i].oldContentPath = kept
            plan.items[i].reason =
                "edited behind overlay's back, through the symlink; generation \(n)'s file was repaired in place; the edit is kept in \(kept)"
        }
        if !stats.isEmpty { try GenerationIntegrity.recordStats(stats, generation: n, state: state) }
    }

    /// Homes a dropped path may be removed from: the new ones and the live generation's.
    private func removalGuard(_ rendered: RenderedState, current: Generation?) -> PathGuard {
        PathGuard(
            homes: rendered.homes.merging(current?.homes ?? [:]) { a, _ in a }, protected: rendered.protected, stateDir: state.path)
    }

    /// A path the run could not place after the switch, and why.
    struct Placement {
        var path: String
        var error: ApplyError
    }

    /// Makes the homes match the plan, switching `current` to `switchTo` at the one atomic instant.
    /// `originals` (dest → backup of the unmanaged file overlay takes over) enter the ledger before
    /// any home changes, so a dest that later leaves the overlay gets that file back.
    ///
    /// A failure before the switch throws (the old generation stays live). After it, each path is
    /// placed on its own: a failure is returned, not thrown, and the other paths are still placed.
    private func place(_ plan: ApplyPlan, switchTo: Int?, originals: [String: String]) throws(ApplyError) -> [Placement] {
        var ledger = plan.ledger
        let before = ledger
        for t in plan.targets {
            var entry = ledger.entries[t.dest] ?? ManagedLedger.Entry(link: t.link)
            entry.link = entry.link && t.link
            if entry.original == nil { entry.original = originals[t.dest] }
            if !t.link && !entry.hashes.contains(t.sha256) {
                entry.hashes.append(t.sha256)
                // The verified stat is the old copy's: kept, it would vouch for the new hash when
                // the copy is not rewritten (a failure after the switch), and hide that from the next plan.
                entry.verified = nil
            }
            ledger.entries[t.dest] = entry
        }
        if ledger != before { try ledger.save(state) }
        var parents: Set<String> = []
        for item in plan.items where item.step != .none && item.step != .remove {
            let dir = (item.path as NSString).deletingLastPathComponent
            if parents.insert(dir).inserted { try POSIX.makeDirectories(dir) }
        }
        for item in plan.items where item.step == .linkBeforeSwitch {
            guard let t = item.target else { continue }
            let target = state.linkTarget(home: t.home, relative: t.relative)
            // Nothing is there (the plan saw it absent): one symlink(2); else replace atomically.
            if (try? POSIX.symlink(target, at: item.path)) == nil {
                try DurableFile.replaceWithSymlink(item.path, target: target)
            }
        }
        var failures: [Placement] = []
        if let switchTo {
            do throws(ApplyError) { try AtomicSwitch.switchTo(switchTo, in: state) } catch {
                // The rename may have happened with only the state dir's fsync failing: then it stands.
                guard AtomicSwitch.current(in: state) == switchTo else { throw error }
                failures.append(Placement(path: state.currentLink, error: error))
            }
        }
        for item in plan.items {
            do throws(ApplyError) { try placeAfterSwitch(item) } catch {
                failures.append(Placement(path: item.path, error: error))
            }
        }
        do throws(ApplyError) {
            try saveFinalLedger(plan, old: ledger, failed: Set(failures.map(\.path)))
        } catch {
            failures.append(Placement(path: state.ledgerPath, error: error))
        }
        return failures
    }

    /// The step of one path that happens after the switch (none for most).
    private func placeAfterSwitch(_ item: PlanItem) throws(ApplyError) {
        switch item.step {
        case .linkAfterSwitch:
            guard let t = item.target else { return }
            try DurableFile.replaceWithSymlink(item.path, target: state.linkTarget(home: t.home, relative: t.relative))
        case .copy:
            guard let t = item.target else { return }
            try DurableFile.replace(item.path, with: try t.bytes(), mode: t.mode)
        case .remove:
            try POSIX.unlinkIfPresent(item.path)
        case .restoreBackup:
            guard let source = item.backupSource else { return }
            try DurableFile.replace(item.path, withCopyOf: source)
        case .none, .linkBeforeSwitch:
            return
        }
    }

    /// The ledger after the run: exactly the target's paths, copies with their verified stat. A
    /// `failed` path keeps its entry from `old` (the ledger written before the switch), so the
    /// next plan still sees it as overlay's and places it.
    private func saveFinalLedger(_ plan: ApplyPlan, old: ManagedLedger, failed: Set<String>) throws(ApplyError) {
        var ledger = ManagedLedger()
        for t in plan.targets {
            var entry = ManagedLedger.Entry(link: t.link, original: old.entries[t.dest]?.original)
            if !t.link {
                entry.hashes = [t.sha256]
                if case .file(let st) = try POSIX.lstatEntry(t.dest) { entry.verified = st }
            }
            ledger.entries[t.dest] = entry
        }
        // Paths left in place ("kept") or given back are the user's now; paths not removable stay listed.
        let released: Set<ChangeAction> = [.deleted, .kept, .restoredBackup]
        for item in plan.items where item.target == nil && !released.contains(item.action) {
            if let e = old.entries[item.path] { ledger.entries[item.path] = e }
        }
        for path in failed { ledger.entries[path] = old.entries[path] }
        if ledger != old { try ledger.save(state) }
    }
}

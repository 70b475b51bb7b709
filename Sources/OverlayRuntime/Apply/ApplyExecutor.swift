import Foundation
import OverlayCore

/// Runs render → plan → apply for one host against a state dir (SPEC §3.2).
///
/// Order of effects (docs/apply.md explains why each is safe to interrupt):
/// lock → clean leftovers, recover → plan → stage and sync the generation → handler journal →
/// switch intent (the ledger to be) → generation renamed into place → new symlinks →
/// **rename `current`** → replacements, copies, removals → fsync of the folders → ledger (new) →
/// prune → handlers → journal cleared.
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
        let current = try store.plannedCurrent()
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
    /// (`afterSwitchFailure`). A failure before the switch throws and leaves nothing behind: no
    /// staging, no generation that never went live, no ledger entry for a path never placed.
    public func apply(
        _ rendered: RenderedState, options: ApplyOptions, whileLocked: (ApplyReport) -> Void = { _ in }
    ) throws(ApplyError) -> ApplyReport {
        if options.dryRun {
            let plan = try plan(rendered, crontabTarget: options.crontabTarget)
            var live: Int?
            switch GenerationStore(state: state).live() {
            case .none: live = nil
            case .generation(let n): live = n
            case .dangling(_, let fallback): live = fallback
            }
            let report = ApplyReport(plan: plan, generation: live, switched: false)
            whileLocked(report)
            return report
        }
        let lock = try StateLock.acquire(state, timeout: options.lockTimeout)
        defer { lock.release() }
        if let reason = options.vetoUnderLock?() { throw .vetoed(reason: reason) }
        let (store, cleaned, owed) = try recover()
        var plan = try plan(rendered, crontabTarget: options.crontabTarget)
        if !plan.replaced.isEmpty && !options.force { throw .unmanagedReplacement(paths: plan.replaced) }
        var live = store.currentNumber()
        if let live { try repairGeneration(live, &plan) }
        var target: SwitchTarget?
        var originals: [String: String] = [:]
        if plan.needsGeneration {
            let n = store.nextNumber()
            let staged = try GenerationBuilder(state: state, store: store).stage(
                number: n, plan: plan, host: rendered.host, commit: options.commit ?? options.describeCommit?(), previous: live,
                time: clock.now())
            let takenOver = Set(plan.items.filter { $0.action == .backedUp }.map(\.path))
            for b in staged.record.backups where takenOver.contains(b.dest) {
                originals[b.dest] = "generations/\(n)/" + b.path
            }
            target = SwitchTarget(number: n, staging: staged.staging)
        }
        let due = HandlerRunner.triggered(rendered.handlers, changed: Self.changedPaths(plan, failures: []))
        let journal =
            options.runHandlers
            ? HandlerJournal(owed: owed, due: due.map(Generation.Handler.init), generation: target?.number ?? live) : nil
        var failures = try place(plan, switchTo: target, originals: originals, journal: journal)
        if let target {
            live = target.number
        }
        var report = ApplyReport(plan: plan, generation: live, switched: target != nil, cleaned: cleaned)
        report.pruned = store.prune(keep: options.keep)
        if options.runHandlers {
            let ran = HandlerRunner.triggered(rendered.handlers, changed: Self.changedPaths(plan, failures: failures))
            report.handlers = HandlerRunner(state: state).run(
                HandlerJournal.merge(owed: owed.map(\.rendered), due: ran, current: rendered.handlers), clock: clock)
            failures += clearJournal()
        }
        report.afterSwitchFailure = Self.afterSwitch(failures, generation: live, rerun: "overlay apply")
        whileLocked(report)
        return report
    }

    /// What every locked run does first: clean leftovers, recover a dangling `current` and a
    /// stopped run's switch, refuse to start without the descriptors it needs, and read the
    /// handlers owed. Returns what was cleaned or recovered (one line each) and the owed handlers.
    private func recover() throws(ApplyError) -> (GenerationStore, [String], [Generation.Handler]) {
        try OpenFiles.requireHeadroom(for: state.path)
        let store = GenerationStore(state: state)
        var cleaned = store.cleanLeftovers()
        cleaned += try StateRecovery(state: state).run()
        let owed = try HandlerJournal.load(state).owed(live: store.currentNumber())
        if !owed.isEmpty {
            cleaned.append(
                "handler(s) \(owed.map(\.name).joined(separator: ", ")) were owed by an interrupted run (its switch happened, its handlers did not run); they run now"
            )
        }
        return (store, cleaned, owed)
    }

    /// Removes the handler journal once its handlers ran; a failure is reported, not thrown.
    private func clearJournal() -> [Placement] {
        do throws(ApplyError) { try HandlerJournal.clear(state) } catch {
            return [Placement(path: HandlerJournal.path(state), error: error)]
        }
        return []
    }

    /// The paths the run changed in the homes (what triggers handlers): not `kept`, not failed.
    static func changedPaths(_ plan: ApplyPlan, failures: [Placement]) -> Set<String> {
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
        let (store, cleaned, owed) = try recover()
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
        let switching = number != current.number
        // The target's own handlers, as apply would have run them for the same changes; a
        // generation that did not record its handlers runs none (the caller says so).
        let handlers = target.handlers?.map(\.rendered)
        let due = HandlerRunner.triggered(handlers ?? [], changed: Self.changedPaths(plan, failures: []))
        let journal = options.runHandlers ? HandlerJournal(owed: owed, due: due.map(Generation.Handler.init), generation: number) : nil
        let (originals, kept) = try keepRollbackBackups(&plan, from: current.number)
        var failures: [Placement]
        do throws(ApplyError) {
            failures = try place(
                plan, switchTo: switching ? SwitchTarget(number: number, staging: nil) : nil, originals: originals, journal: journal)
        } catch {
            // Nothing was displaced: the backups of what would have been are not needed.
            if let kept { POSIX.removeTree(kept) }
            throw error
        }
        var report = ApplyReport(plan: plan, generation: number, switched: switching, cleaned: cleaned)
        report.rolledBackTo = target
        let changed = Self.changedPaths(plan, failures: failures)
        if options.runHandlers {
            let ran = HandlerRunner.triggered(handlers ?? [], changed: changed)
            let toRun = HandlerJournal.merge(owed: owed.map(\.rendered), due: ran, current: handlers ?? [])
            report.handlers = HandlerRunner(state: state).run(toRun, clock: clock)
            failures += clearJournal()
        }
        if handlers == nil {
            // The nearest guess at what should run: the handlers of the generation being left.
            let left = (current.handlers ?? []).map(\.rendered)
            report.handlersNotRun = HandlerRunner.triggered(left, changed: changed).map(\.name)
        }
        report.afterSwitchFailure = Self.afterSwitch(failures, generation: number, rerun: "overlay rollback --to \(number)")
        whileLocked(report)
        return report
    }

    /// A rollback builds no generation, so what it displaces goes to `backups/rollback-*`.
    /// Returns dest → backup (relative to the state dir) for unmanaged files it takes over, and
    /// the backup folder when one was made.
    private func keepRollbackBackups(_ plan: inout ApplyPlan, from: Int) throws(ApplyError) -> ([String: String], String?) {
        let name = "rollback-from-\(from)-\(Int(clock.now().timeIntervalSince1970))"
        var originals: [String: String] = [:]
        guard plan.items.contains(where: \.backup) else { return ([:], nil) }
        let folder = state.backupsPath + "/" + name
        do throws(ApplyError) {
            for i in plan.items.indices where plan.items[i].backup {
                guard let source = plan.items[i].oldContentPath, let t = plan.items[i].target else { continue }
                let relative = "backups/" + name + "/" + t.home + "/" + t.relative
                let path = state.path + "/" + relative
                try POSIX.makeDirectories((path as NSString).deletingLastPathComponent, mode: 0o700)
                try GenerationBuilder.copyEntry(from: source, to: path, sync: true)
                plan.items[i].backup = false
                if plan.items[i].action == .backedUp { originals[t.dest] = relative }
            }
        } catch {
            POSIX.removeTree(folder)
            throw error
        }
        return (originals, folder)
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
}

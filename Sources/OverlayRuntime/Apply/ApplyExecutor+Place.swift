import Foundation

/// The part of a run that changes the homes: everything from the handler journal to the final
/// ledger, with the switch of `current` in the middle.
extension ApplyExecutor {
    /// A path the run could not place after the switch, and why.
    struct Placement {
        var path: String
        var error: ApplyError
    }

    /// The generation a run switches to; `staging` is its folder when this run built it.
    struct SwitchTarget {
        var number: Int
        var staging: String?
    }

    /// Makes the homes match the plan, switching `current` to `switchTo` at the one atomic instant.
    /// `originals` (dest → backup of the unmanaged file overlay takes over) enter the ledger before
    /// any home changes, so a dest that later leaves the overlay gets that file back. `journal`
    /// (the handlers owed once the switch happened) is written first.
    ///
    /// A failure before the switch throws, after undoing what the run did: the old generation
    /// stays live and nothing of the run is left. After the switch each path is placed on its
    /// own: a failure is returned, not thrown, and the other paths are still placed.
    func place(
        _ plan: ApplyPlan, switchTo: SwitchTarget?, originals: [String: String], journal: HandlerJournal?
    ) throws(ApplyError) -> [Placement] {
        let before = plan.ledger
        var ledger = before
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
        let linked = plan.items.filter { $0.step == .linkBeforeSwitch }.map(\.path)
        var intent: LedgerIntent?
        var folders = TouchedFolders()
        do throws(ApplyError) {
            if let journal, !journal.entries.isEmpty { try journal.save(state) }
            if let switchTo {
                intent = LedgerIntent(
                    generation: switchTo.number, built: switchTo.staging != nil, previous: AtomicSwitch.current(in: state),
                    ledger: ledger, linkedBeforeSwitch: linked)
                try intent?.save(state)
                if let staging = switchTo.staging {
                    try GenerationBuilder(state: state, store: GenerationStore(state: state)).commit(staging, number: switchTo.number)
                }
            } else if ledger != before {
                try ledger.save(state)
            }
            var parents: Set<String> = []
            for item in plan.items where item.step != .none && item.step != .remove {
                let dir = (item.path as NSString).deletingLastPathComponent
                if parents.insert(dir).inserted { try folders.make(dir) }
            }
            for item in plan.items where item.step == .linkBeforeSwitch {
                guard let t = item.target else { continue }
                let target = state.linkTarget(home: t.home, relative: t.relative)
                // Nothing is there (the plan saw it absent): one symlink(2); else replace atomically.
                if (try? POSIX.symlink(target, at: item.path)) == nil {
                    try DurableFile.replaceWithSymlink(item.path, target: target)
                }
                folders.touched(item.path)
            }
            if let switchTo { try switchCurrent(to: switchTo.number) }
        } catch {
            undo(intent: intent, staging: switchTo?.staging, journal: journal)
            throw error
        }
        var failures: [Placement] = []
        for item in plan.items {
            do throws(ApplyError) { try placeAfterSwitch(item, folders: &folders) } catch {
                failures.append(Placement(path: item.path, error: error))
            }
        }
        // Exit 0 means durable: the renames and unlinks in the homes reach the disk before it.
        failures += folders.sync().map { Placement(path: $0.path, error: $0.error) }
        do throws(ApplyError) {
            let live = switchTo?.number ?? AtomicSwitch.current(in: state)
            try saveFinalLedger(plan, old: ledger, failed: Set(failures.map(\.path)), generation: live)
            if intent != nil { try LedgerIntent.remove(state) }
        } catch {
            failures.append(Placement(path: state.ledgerPath, error: error))
        }
        return failures
    }

    /// Switches `current`; a rename that happened with only the state dir's fsync failing stands.
    private func switchCurrent(to n: Int) throws(ApplyError) {
        do throws(ApplyError) { try AtomicSwitch.switchTo(n, in: state) } catch {
            guard AtomicSwitch.current(in: state) == n else { throw error }
            // The rename is done: undoing it would be a second switch. Make it durable again.
            try POSIX.fsyncPath(state.path)
        }
    }

    /// Undoes a run stopped before its switch: the symlinks it made, the generation it built,
    /// the intent; the journal goes back to what was owed before. Best effort: what cannot be
    /// removed now is removed by the next run (the intent names it; listings hide it meanwhile).
    private func undo(intent: LedgerIntent?, staging: String?, journal: HandlerJournal?) {
        if let intent, let ledger = try? ManagedLedger.loadFile(state) {
            try? StateRecovery(state: state).undo(intent, ledger: ledger)
        }
        if let staging { POSIX.removeTree(staging) }
        if var journal {
            journal.entries = journal.entries.filter(\.confirmed)
            try? journal.save(state)
        }
    }

    /// The step of one path that happens after the switch (none for most).
    private func placeAfterSwitch(_ item: PlanItem, folders: inout TouchedFolders) throws(ApplyError) {
        switch item.step {
        case .linkAfterSwitch:
            guard let t = item.target else { return }
            try DurableFile.replaceWithSymlink(item.path, target: state.linkTarget(home: t.home, relative: t.relative))
            folders.touched(item.path)
        case .copy:
            guard let t = item.target else { return }
            try DurableFile.replace(item.path, with: try t.bytes(), mode: t.mode)
        case .remove:
            try POSIX.unlinkIfPresent(item.path)
            folders.touched(item.path)
        case .restoreBackup:
            guard let source = item.backupSource else { return }
            try DurableFile.replace(item.path, withCopyOf: source)
        case .none, .linkBeforeSwitch:
            return
        }
    }

    /// The ledger after the run: exactly the target's paths, copies with their verified stat, and
    /// the generation it describes. A `failed` path keeps its entry from `old` (the ledger as it
    /// was meant to be after the switch), so the next plan still sees it as overlay's and places it.
    private func saveFinalLedger(_ plan: ApplyPlan, old: ManagedLedger, failed: Set<String>, generation: Int?) throws(ApplyError) {
        var ledger = ManagedLedger(generation: generation)
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
        if ledger != plan.ledger { try ledger.save(state) }
    }
}

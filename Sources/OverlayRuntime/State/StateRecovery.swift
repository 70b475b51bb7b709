import Foundation

/// Puts a state dir back in order after a run that stopped part-way, under the state lock and
/// before anything else: a `current` whose generation is missing, a pending switch intent.
///
/// Each step says what it did in one sentence (apply and rollback print them).
struct StateRecovery {
    let state: StateDirectory

    /// Runs every step; returns what was recovered.
    func run() throws(ApplyError) -> [String] {
        var notes: [String] = []
        if let note = try recoverDanglingCurrent() { notes.append(note) }
        if let note = try settleIntent() { notes.append(note) }
        return notes
    }

    /// A `current` pointing at a generation that is gone would block apply, `--force` and
    /// rollback alike: switch to the newest complete generation instead, and say so.
    func recoverDanglingCurrent() throws(ApplyError) -> String? {
        let store = GenerationStore(state: state)
        guard case .dangling(let n, let fallback) = store.live() else { return nil }
        let missing = "current pointed at generation \(n), which is missing"
        if let fallback {
            try AtomicSwitch.switchTo(fallback, in: state)
            return "\(missing); switched to generation \(fallback), the newest complete one"
        }
        try POSIX.unlinkIfPresent(state.currentLink)
        try POSIX.fsyncPath(state.path)
        return "\(missing) and no complete generation is left: none is live until this run builds one"
    }

    /// Finishes or undoes the switch a stopped run had announced (see `LedgerIntent`).
    func settleIntent() throws(ApplyError) -> String? {
        guard LedgerIntent.exists(state) else { return nil }
        let intent = try LedgerIntent.read(state)
        let live = AtomicSwitch.current(in: state)
        let ledger = try ManagedLedger.loadFile(state)
        if live == intent.generation {
            var merged = intent.merged(into: ledger, live: live)
            if merged != ledger {
                merged.generation = intent.generation
                try merged.save(state)
            }
            try LedgerIntent.remove(state)
            return "a run that switched to generation \(intent.generation) stopped before it finished; its ledger is complete now"
        }
        let discarded = intent.neverWentLive(live: live)
        try undo(intent, ledger: ledger)
        return discarded
            ? "removed generation \(intent.generation): a run built it but stopped before its switch, so it never went live"
            : "a run that was switching to generation \(intent.generation) stopped before its switch; its leftovers are removed"
    }

    /// Removes what a run that did not reach its switch had made: the symlinks it created for
    /// new paths (they still show nothing: `current` never pointed at their generation) and
    /// the generation it built; then the intent itself.
    func undo(_ intent: LedgerIntent, ledger: ManagedLedger) throws(ApplyError) {
        let live = try? GenerationStore(state: state).current()
        for path in intent.linkedBeforeSwitch where ledger.entries[path] == nil && live?.file(path) == nil {
            if case .symlink(let target) = try POSIX.lstatEntry(path), target.hasPrefix(state.currentLink + "/files/") {
                try POSIX.unlinkIfPresent(path)
            }
        }
        if intent.neverWentLive(live: AtomicSwitch.current(in: state)) {
            try GenerationStore(state: state).discard(intent.generation)
        }
        try LedgerIntent.remove(state)
    }
}

import Foundation

/// What a run that switches generations is about to do, written durably before it changes
/// anything the next run reads: `<state>/pending-switch.json`.
///
/// The ledger (`managed.json`) and the generation list describe only what went live. A run
/// that builds generation N first writes this intent — N, whether it built N, the ledger as it
/// will be after the switch (old ∪ new) and the symlinks it creates before the switch — then
/// renames N into place and switches. Whoever finds an intent next:
/// - `current` is N: the switch happened. The intent's ledger is merged into `managed.json`
///   (unless the final ledger, which names N, was already written), as the run would have done.
/// - `current` is still what it was when the run started: the switch never happened. N, if the
///   run built it, never went live and is removed (until then `GenerationStore.numbers()` does
///   not list it); the symlinks made before the switch are removed; the ledger stays as it was.
/// - `current` points somewhere else (moved by hand): nothing is assumed about N, which stays;
///   the symlinks and the intent are removed as above.
struct LedgerIntent: Codable, Sendable, Equatable {
    /// The generation the run switches to.
    var generation: Int
    /// True when the run built `generation` (a rollback switches to an existing one).
    var built: Bool
    /// The generation live when the run started: while `current` still points at it, a built
    /// `generation` never went live. (Had `current` been moved by hand since, nothing is assumed.)
    var previous: Int?
    /// The ledger after the switch: the old entries with the new ones merged in.
    var ledger: ManagedLedger
    /// Symlinks created before the switch (they point into `current/` and show the old
    /// generation until it).
    var linkedBeforeSwitch: [String]

    static let fileName = "pending-switch.json"

    static func path(_ state: StateDirectory) -> String { state.path + "/" + fileName }

    /// True when a run left (or is writing) an intent.
    static func exists(_ state: StateDirectory) -> Bool {
        ((try? POSIX.lstatEntry(path(state))) ?? .absent) != .absent
    }

    /// The pending intent (call when `exists`).
    ///
    /// Not an optional result: Swift 6.3's debug build miscompiled `guard let x = try f()` for a
    /// typed-throwing `f` returning this struct as an optional (the caller's return address was
    /// overwritten), so absence is asked separately.
    static func read(_ state: StateDirectory) throws(ApplyError) -> LedgerIntent {
        let path = Self.path(state)
        let data = try POSIX.readFile(path)
        do { return try JSONDecoder().decode(LedgerIntent.self, from: data) } catch {
            throw .corruptState(path: path, reason: "not a pending switch record")
        }
    }

    /// Writes the intent durably (before the run renames its generation into place).
    func save(_ state: StateDirectory) throws(ApplyError) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data: Data
        do { data = try encoder.encode(self) } catch { throw .corruptState(path: Self.path(state), reason: "\(error)") }
        try DurableFile.replace(Self.path(state), with: data, mode: 0o600)
    }

    static func remove(_ state: StateDirectory) throws(ApplyError) {
        try POSIX.unlinkIfPresent(path(state))
    }

    /// True when generation `n` was built by a run whose switch never happened.
    func hides(_ n: Int, live: Int?) -> Bool { neverWentLive(live: live) && n == generation }

    /// True when the run built its generation and `current` still points where it did when the
    /// run started: the switch never happened, so that generation never went live.
    func neverWentLive(live: Int?) -> Bool { built && live == previous && live != generation }

    /// The ledger as it stands: `ledger` when the switch did not happen or the final ledger was
    /// written; else `ledger` with this intent's entries merged in.
    func merged(into ledger: ManagedLedger, live: Int?) -> ManagedLedger {
        guard live == generation, ledger.generation != generation else { return ledger }
        var out = ledger
        for (dest, entry) in self.ledger.entries { out.entries[dest] = entry }
        return out
    }
}

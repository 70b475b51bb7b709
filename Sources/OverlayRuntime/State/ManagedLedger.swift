import Foundation

/// The paths overlay placed in the homes: only these are ever removed.
///
/// It describes what went live, and only that: a run that switches generations writes what
/// the ledger will be (old ∪ new) as a `LedgerIntent` beside it, and the ledger itself only
/// after the switch (new, with the generation it describes). A run that stops before its
/// switch therefore changes nothing the next run reads; one that stops after it leaves the
/// intent, which the next run (or any reader, through `load`) merges in.
public struct ManagedLedger: Codable, Sendable, Equatable {
    /// One path overlay placed.
    public struct Entry: Codable, Sendable, Equatable {
        /// True: a symlink into `current/`. False: a copied file.
        public var link: Bool
        /// Hashes of contents overlay wrote there (copies only), so a removal can tell ours from a user's edit.
        public var hashes: [String]
        /// The stat of the copy when overlay last verified it (skips hashing unchanged copies).
        public var verified: FileStat?
        /// The backup of the file that was at the dest before overlay first placed its own, relative
        /// to the state dir (`generations/N/backups/<home>/<path>`); put back when the dest leaves the overlay.
        public var original: String?

        public init(link: Bool, hashes: [String] = [], verified: FileStat? = nil, original: String? = nil) {
            self.link = link
            self.hashes = hashes
            self.verified = verified
            self.original = original
        }
    }

    /// Absolute dest → entry.
    public var entries: [String: Entry] = [:]
    /// The generation live when the ledger was written (nil: written by an older overlay).
    public var generation: Int?

    public init(entries: [String: Entry] = [:], generation: Int? = nil) {
        self.entries = entries
        self.generation = generation
    }

    /// The ledger as it stands for the live generation: the file, with a pending intent merged
    /// in when its switch happened but the final ledger was not written (a crash after the switch).
    public static func load(_ state: StateDirectory) throws(ApplyError) -> ManagedLedger {
        var ledger = try loadFile(state)
        if LedgerIntent.exists(state) {
            ledger = try LedgerIntent.read(state).merged(into: ledger, live: AtomicSwitch.current(in: state))
        }
        return ledger
    }

    /// Reads `managed.json` alone (empty when missing).
    static func loadFile(_ state: StateDirectory) throws(ApplyError) -> ManagedLedger {
        guard FileManager.default.fileExists(atPath: state.ledgerPath) else { return ManagedLedger() }
        let data = try POSIX.readFile(state.ledgerPath)
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
            let entries = object["entries"] as? [String: [String: Any]]
        else { throw .corruptState(path: state.ledgerPath, reason: "not a ledger") }
        var ledger = ManagedLedger(generation: object["generation"] as? Int)
        for (dest, e) in entries {
            guard let link = e["link"] as? Bool else { throw .corruptState(path: state.ledgerPath, reason: "bad entry \(dest)") }
            ledger.entries[dest] = Entry(
                link: link, hashes: e["hashes"] as? [String] ?? [], verified: FileStat(json: e["verified"]),
                original: e["original"] as? String)
        }
        return ledger
    }

    /// Writes the ledger durably.
    func save(_ state: StateDirectory) throws(ApplyError) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data: Data
        do { data = try encoder.encode(self) } catch {
            throw .corruptState(path: state.ledgerPath, reason: "\(error)")
        }
        try DurableFile.replace(state.ledgerPath, with: data, mode: 0o600)
    }
}

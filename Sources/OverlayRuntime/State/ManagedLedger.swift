import Foundation

/// The paths overlay placed in the homes: only these are ever removed.
///
/// Written durably before any home changes (old ∪ new) and again after (new), so
/// after a crash it always covers everything overlay may have left behind.
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

    public init(entries: [String: Entry] = [:]) { self.entries = entries }

    /// Reads the ledger (empty when missing).
    public static func load(_ state: StateDirectory) throws(ApplyError) -> ManagedLedger {
        guard FileManager.default.fileExists(atPath: state.ledgerPath) else { return ManagedLedger() }
        let data = try POSIX.readFile(state.ledgerPath)
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
            let entries = object["entries"] as? [String: [String: Any]]
        else { throw .corruptState(path: state.ledgerPath, reason: "not a ledger") }
        var ledger = ManagedLedger()
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

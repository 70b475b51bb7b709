import Foundation

/// The create-only files overlay wrote on this host (`seeds.json` in the state dir): for each
/// dest, the hash of what it wrote and from which source, so a later apply can say that the
/// source has changed since (the host keeps its copy; `apply --force-create` re-seeds).
///
/// Not part of a generation: a rollback neither reads nor changes it.
public struct SeedRecord: Codable, Sendable, Equatable {
    /// One file overlay seeded.
    public struct Seed: Codable, Sendable, Equatable {
        /// Hex SHA-256 of the bytes written.
        public var sha256: String
        /// The repo source they came from.
        public var source: String
        /// When (ISO 8601, UTC).
        public var time: String
    }

    /// The format version.
    public var version = 1
    /// Absolute dest → what was seeded there.
    public var seeds: [String: Seed] = [:]

    /// Where the record lives.
    public static func path(_ state: StateDirectory) -> String { state.path + "/seeds.json" }

    /// Reads the record (empty when missing; a file that is not one is an error: it may be the
    /// only memory of what was seeded, so it is never silently replaced).
    public static func load(_ state: StateDirectory) throws(ApplyError) -> SeedRecord {
        let path = Self.path(state)
        guard case .file = try POSIX.lstatEntry(path) else { return SeedRecord() }
        let data = try POSIX.readFile(path)
        do { return try JSONDecoder().decode(SeedRecord.self, from: data) } catch {
            throw .corruptState(path: path, reason: "not a record of create-only files")
        }
    }

    /// Writes the record durably (0600).
    func save(_ state: StateDirectory) throws(ApplyError) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data: Data
        do { data = try encoder.encode(self) } catch { throw .corruptState(path: Self.path(state), reason: "\(error)") }
        try DurableFile.replace(Self.path(state), with: data, mode: 0o600)
    }
}

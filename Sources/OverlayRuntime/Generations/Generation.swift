import Foundation

/// The record of one generation: `generations/N/generation.json`.
public struct Generation: Codable, Sendable, Equatable {
    /// One managed file in the generation.
    public struct File: Codable, Sendable, Equatable {
        /// Absolute destination in a home.
        public var dest: String
        /// The home's name (`hermes`).
        public var home: String
        /// Path relative to the home; the file lives at `files/<home>/<path>`.
        public var path: String
        public var sha256: String
        public var size: Int
        public var mode: UInt16
        public var link: Bool
        /// True when the content holds a resolved secret (never printed).
        public var secret: Bool
        /// The stat of `files/<home>/<path>` right after it was written (drift detection).
        public var stat: FileStat?
    }

    /// An unmanaged file found at a dest and kept here before overlay replaced it.
    public struct Backup: Codable, Sendable, Equatable {
        public var dest: String
        /// Relative to the generation folder (`backups/<home>/<path>`).
        public var path: String
    }

    public var number: Int
    /// ISO 8601 UTC.
    public var time: String
    public var host: String
    /// The overlay repo's commit, when it is a git checkout.
    public var commit: String?
    /// Home name → absolute path.
    public var homes: [String: String]
    /// Protected paths, absolute (never written, deleted or followed).
    public var protected: [String]?
    public var files: [File]
    public var backups: [Backup]
    /// Which generation this one replaced (nil for the first).
    public var previous: Int?

    /// The file record for `dest`.
    public func file(_ dest: String) -> File? { files.first { $0.dest == dest } }

    /// The record's file name inside a generation folder.
    static let recordName = "generation.json"

    /// Reads the record of the generation at `folder`.
    static func load(folder: String) throws(ApplyError) -> Generation {
        let path = folder + "/" + recordName
        do {
            return try JSONDecoder().decode(Generation.self, from: try POSIX.readFile(path))
        } catch {
            throw .corruptState(path: path, reason: "\(error)")
        }
    }

    /// The record as pretty JSON.
    func encoded() -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return (try? encoder.encode(self)) ?? Data()
    }
}

import Foundation

/// The Hermes harness's config keys by config version, read from the harness's published
/// defaults by `scripts/harness-keys.py` into `policy/harness-keys.json`, and compiled into
/// overlay (`HarnessKeyData`) for repos that do not carry that file.
///
/// A key path is dotted (`agent.max_turns`); list entries are `[]` (`custom_providers[].name`).
/// A key is known when any harness release carried it: `versions` lists the config versions
/// whose default config has it, `removed` the version whose migration dropped it.
public struct HarnessKeyCatalog: Sendable {
    /// One key of the harness config.
    public struct Key: Sendable, Decodable {
        /// Dotted path.
        public let path: String
        /// Config versions whose default config carries the key; empty when only a loader reads it.
        public let versions: [Int]
        /// JSON types of the harness's defaults for it.
        public let types: [String]
        /// `defaults`, `loader` (read but not written by the harness) or `legacy`.
        public let source: String
        /// The config version whose migration removed the key.
        public let removed: Int?
        /// True when the key's own keys are names the user chooses (providers by name, …).
        public let isOpen: Bool

        enum CodingKeys: String, CodingKey {
            case path, versions = "in", types, source = "from", removed, isOpen = "open"
        }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            path = try c.decode(String.self, forKey: .path)
            versions = try c.decodeIfPresent([Int].self, forKey: .versions) ?? []
            types = try c.decodeIfPresent([String].self, forKey: .types) ?? []
            source = try c.decodeIfPresent(String.self, forKey: .source) ?? "defaults"
            removed = try c.decodeIfPresent(Int.self, forKey: .removed)
            isOpen = try c.decodeIfPresent(Bool.self, forKey: .isOpen) ?? false
        }
    }

    /// One harness package the catalog was read from.
    public struct Snapshot: Sendable, Decodable {
        /// Its `_config_version`.
        public let version: Int
        /// Package name and version.
        public let package: String
    }

    private struct File: Decodable {
        let format: Int
        let snapshots: [Snapshot]
        let keys: [Key]
    }

    /// The packages read, oldest first.
    public let snapshots: [Snapshot]
    /// Every key, sorted by path.
    public let keys: [Key]
    private let byParent: [String: [String: Key]]

    /// Reads a catalog in the format `scripts/harness-keys.py` writes.
    public init(json: Data) throws {
        let file = try JSONDecoder().decode(File.self, from: json)
        snapshots = file.snapshots
        keys = file.keys
        var byParent: [String: [String: Key]] = [:]
        for key in file.keys {
            let (parent, name) = HarnessKeyCatalog.split(key.path)
            byParent[parent, default: [:]][name] = key
        }
        self.byParent = byParent
    }

    /// The catalog compiled into overlay; empty (and so checking nothing) if it cannot be read,
    /// which `HarnessKeyCatalogTests` rules out.
    public static let harness: HarnessKeyCatalog = {
        (try? HarnessKeyCatalog(json: Data(HarnessKeyData.json.utf8))) ?? HarnessKeyCatalog()
    }()

    private init() {
        snapshots = []
        keys = []
        byParent = [:]
    }

    /// The newest config version the catalog knows.
    public var newestVersion: Int? { snapshots.map(\.version).max() }

    /// The keys directly below `parent` ("" for the top level), by name.
    public func children(of parent: String) -> [String: Key] { byParent[parent] ?? [:] }

    /// The key at `path`, if the harness knows it.
    public func key(_ path: String) -> Key? {
        let (parent, name) = HarnessKeyCatalog.split(path)
        return byParent[parent]?[name]
    }

    /// Every key the harness's default config carried at `version`.
    public func defaults(at version: Int) -> [Key] { keys.filter { $0.versions.contains(version) } }

    /// `a.b.c` → (`a.b`, `c`); `a[].b` → (`a[]`, `b`); `a` → (``, `a`).
    static func split(_ path: String) -> (parent: String, name: String) {
        guard let dot = path.lastIndex(of: ".") else { return ("", path) }
        return (String(path[..<dot]), String(path[path.index(after: dot)...]))
    }
}

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
    public struct Key: Sendable {
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

        /// The key as the file writes it: `path`, and optionally `in`, `types`, `from`,
        /// `removed`, `open`.
        init(_ value: Value, at index: Int) throws(CatalogError) {
            let at = "keys[\(index)]"
            guard case .string(let path)? = value["path"] else { throw CatalogError("\(at) needs 'path', a string") }
            self.path = path
            versions = try Self.list(value["in"], at + ".in") { if case .int(let n) = $0 { n } else { nil } }
            types = try Self.list(value["types"], at + ".types") { if case .string(let t) = $0 { t } else { nil } }
            switch value["from"] {
            case nil, .null?: source = "defaults"
            case .string(let from)?: source = from
            default: throw CatalogError("\(at).from must be a string")
            }
            switch value["removed"] {
            case nil, .null?: removed = nil
            case .int(let n)?: removed = n
            default: throw CatalogError("\(at).removed must be an integer")
            }
            switch value["open"] {
            case nil, .null?: isOpen = false
            case .bool(let b)?: isOpen = b
            default: throw CatalogError("\(at).open must be true or false")
            }
        }

        private static func list<T>(_ value: Value?, _ at: String, _ item: (Value) -> T?) throws(CatalogError) -> [T] {
            guard let value, value != .null else { return [] }
            guard case .array(let items) = value else { throw CatalogError("\(at) must be a list") }
            var out: [T] = []
            for element in items {
                guard let t = item(element) else { throw CatalogError("\(at) holds a value of the wrong type") }
                out.append(t)
            }
            return out
        }
    }

    /// One harness package the catalog was read from.
    public struct Snapshot: Sendable {
        /// Its `_config_version`.
        public let version: Int
        /// Package name and version.
        public let package: String
    }

    /// Why a file is not a catalog.
    public struct CatalogError: Error, CustomStringConvertible {
        public let description: String
        init(_ description: String) { self.description = description }
    }

    /// The packages read, oldest first.
    public let snapshots: [Snapshot]
    /// Every key, sorted by path.
    public let keys: [Key]
    private let byParent: [String: [String: Key]]

    /// Reads a catalog in the format `scripts/harness-keys.py` writes.
    public init(json: Data) throws(CatalogError) {
        let document = DocumentLoader().parse(data: json, path: "harness-keys.json", format: .json)
        guard let root = document.root else {
            throw CatalogError(document.diagnostics.first?.message ?? "not JSON")
        }
        try self.init(value: root.value)
    }

    /// Reads a catalog already parsed (the repo's `policy/harness-keys.json`): our own JSON
    /// reader and a hand mapping, several times faster than `JSONDecoder` on its 1,200 keys,
    /// which every validate and apply paid once per renderer.
    public init(value: Value) throws(CatalogError) {
        guard case .int? = value["format"] else { throw CatalogError("'format' is missing or not an integer") }
        guard case .array(let snapshotValues)? = value["snapshots"] else { throw CatalogError("'snapshots' is missing or not a list") }
        guard case .array(let keyValues)? = value["keys"] else { throw CatalogError("'keys' is missing or not a list") }
        var snapshots: [Snapshot] = []
        for (i, item) in snapshotValues.enumerated() {
            guard case .int(let version)? = item["version"], case .string(let package)? = item["package"] else {
                throw CatalogError("snapshots[\(i)] needs 'version' (an integer) and 'package' (a string)")
            }
            snapshots.append(Snapshot(version: version, package: package))
        }
        var keys: [Key] = []
        keys.reserveCapacity(keyValues.count)
        for (i, item) in keyValues.enumerated() { keys.append(try Key(item, at: i)) }
        self.snapshots = snapshots
        self.keys = keys
        var byParent: [String: [String: Key]] = [:]
        for key in keys {
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

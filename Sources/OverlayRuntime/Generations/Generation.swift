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
    /// The cron jobs installed with this generation and their crontab; rollback reinstalls them.
    /// Nil when not recorded (built by an older overlay, or by a run without a crontab step).
    public var cron: Cron? = nil
    /// The golden state's handlers; rollback runs those whose watched paths it changes.
    /// Nil when not recorded (built by an older overlay).
    public var handlers: [Handler]? = nil

    /// The file record for `dest`.
    public func file(_ dest: String) -> File? { files.first { $0.dest == dest } }

    /// The mode a generation stores a file with: the declared mode without write bits, so an edit
    /// through a home's symlink fails for non-root users (the home reads these files through it).
    static func storedMode(_ declared: UInt16) -> UInt16 { declared & ~0o222 }

    /// The record's file name inside a generation folder.
    static let recordName = "generation.json"
    /// The record without its file list (small; read with `files.tsv` on every apply).
    static let headerName = "header.json"

    /// Reads the record of the generation at `folder`.
    static func load(folder: String) throws(ApplyError) -> Generation {
        let path = folder + "/" + recordName
        if let index = try? POSIX.readFile(folder + "/" + GenerationIndex.name),
            let files = GenerationIndex.decode(index), let header = try? POSIX.readFile(folder + "/" + headerName),
            let object = try? JSONSerialization.jsonObject(with: header) as? [String: Any],
            var record = Generation(json: object.merging(["files": []]) { a, _ in a })
        {
            record.files = files
            return record
        }
        let data = try POSIX.readFile(path)
        // JSONSerialization and a hand mapping: several times faster than Codable here, and this
        // record is read on every apply, including no-ops.
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
            let record = Generation(json: object)
        else { throw .corruptState(path: path, reason: "not a generation record") }
        return record
    }

    /// The homes of the generation at `folder`, from its small header alone (a check that needs
    /// only them — the managed scope's rights before every apply — need not read the file list).
    static func homes(folder: String) throws(ApplyError) -> [String: String] {
        if let header = try? POSIX.readFile(folder + "/" + headerName),
            let object = try? JSONSerialization.jsonObject(with: header) as? [String: Any],
            let homes = object["homes"] as? [String: String]
        {
            return homes
        }
        return try load(folder: folder).homes
    }

    /// The record as pretty JSON. A U+FEFF is written escaped (`\ufeff`): Foundation's
    /// JSONSerialization, which reads the record back, drops it at the start of a string, and
    /// a cron command that begins with one then never matched the crontab — every converge
    /// made a new generation.
    func encoded() -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        guard let data = try? encoder.encode(self) else { return Data() }
        // Outside a string JSON has no U+FEFF, so every one of these bytes is inside one.
        let bom: [UInt8] = [0xEF, 0xBB, 0xBF]
        guard data.firstRange(of: bom) != nil else { return data }
        var out = Data(capacity: data.count + 16)
        var i = data.startIndex
        while i < data.endIndex {
            if data[i] == 0xEF, data[i...].starts(with: bom) {
                out.append(contentsOf: Array(#"\ufeff"#.utf8))
                i += 3
            } else {
                out.append(data[i])
                i += 1
            }
        }
        return out
    }
}

extension Generation {
    /// Maps a JSONSerialization object of the record (nil when a field is missing).
    init?(json o: [String: Any]) {
        guard let number = o["number"] as? Int, let time = o["time"] as? String, let host = o["host"] as? String,
            let homes = o["homes"] as? [String: String], let files = o["files"] as? [[String: Any]]
        else { return nil }
        self.number = number
        self.time = time
        self.host = host
        self.commit = o["commit"] as? String
        self.homes = homes
        self.protected = o["protected"] as? [String]
        self.previous = o["previous"] as? Int
        var list: [File] = []
        list.reserveCapacity(files.count)
        for f in files {
            guard let dest = f["dest"] as? String, let home = f["home"] as? String, let path = f["path"] as? String,
                let sha = f["sha256"] as? String, let size = f["size"] as? Int, let mode = f["mode"] as? Int,
                let link = f["link"] as? Bool
            else { return nil }
            list.append(
                File(
                    dest: dest, home: home, path: path, sha256: sha, size: size, mode: UInt16(truncatingIfNeeded: mode),
                    link: link, secret: f["secret"] as? Bool ?? false, stat: FileStat(json: f["stat"])))
        }
        self.files = list
        self.backups = (o["backups"] as? [[String: Any]] ?? []).compactMap { b in
            guard let dest = b["dest"] as? String, let path = b["path"] as? String else { return nil }
            return Backup(dest: dest, path: path)
        }
        self.cron = Cron(json: o["cron"])
        self.handlers = Handler.list(json: o["handlers"])
    }
}

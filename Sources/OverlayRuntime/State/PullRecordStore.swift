import Foundation
import OverlayCore

/// Why the pull record could not be read or written.
public enum PullRecordError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file is there but is not a pull record overlay can read.
    case corrupt(path: String, reason: String)
    /// Reading or writing failed.
    case io(path: String, reason: String)

    public var description: String {
        switch self {
        case .corrupt(let path, let reason):
            return
                "\(path) is unreadable (\(reason)); it holds the commits pull must skip — check it, then move it away and pull again"
        case .io(let path, let reason):
            return "cannot read or write \(path): \(reason)"
        }
    }
}

/// Loads and saves the `PullRecord` of a state dir (`pull.json`), atomically and bounded.
///
/// A corrupt file is an error, never an empty record: it holds the bad commits, and
/// forgetting them would re-apply a commit that just took an agent down. Callers hold the
/// state lock around load, change and save.
public struct PullRecordStore: Sendable {
    /// The record's file.
    public let path: String
    /// How many rejected and bad commits are kept (the newest).
    public let limit: Int

    /// Files larger than this are not read (the record is small; a huge file is not ours).
    static let maxFileBytes = 8 << 20

    /// The store of `state`, keeping the newest `limit` rejected and bad commits.
    public init(state: StateDirectory, limit: Int = 50) {
        self.init(path: state.pullRecordPath, limit: limit)
    }

    /// A store at an explicit path.
    public init(path: String, limit: Int = 50) {
        self.path = path
        self.limit = max(1, limit)
    }

    /// The record, or an empty one when there is no file yet.
    public func load() throws(PullRecordError) -> PullRecord {
        var st = stat()
        if lstat(path, &st) != 0 {
            if errno == ENOENT { return PullRecord() }
            throw .io(path: path, reason: ErrnoText.describe(errno))
        }
        guard st.st_mode & S_IFMT == S_IFREG else { throw .corrupt(path: path, reason: "not a regular file") }
        guard Int(st.st_size) <= Self.maxFileBytes else {
            throw .corrupt(path: path, reason: "\(st.st_size) bytes, more than a pull record ever holds")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .io(path: path, reason: "cannot read it")
        }
        let record: PullRecord
        do {
            record = try JSONDecoder().decode(PullRecord.self, from: data)
        } catch {
            throw .corrupt(path: path, reason: Self.reason(error))
        }
        guard record.version == 1 else {
            throw .corrupt(path: path, reason: "version \(record.version), written by a newer overlay")
        }
        return record
    }

    /// Writes `record` (trimmed to `limit`) atomically: a crash leaves the old or the new file.
    public func save(_ record: PullRecord) throws(PullRecordError) {
        var trimmed = record
        trimmed.trim(to: limit)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        let data: Data
        do { data = try encoder.encode(trimmed) } catch { throw .io(path: path, reason: "\(error)") }
        do { try DurableFile.replace(path, with: data + Data("\n".utf8), mode: 0o600) } catch {
            throw .io(path: path, reason: error.description)
        }
    }

    /// Loads, lets `change` edit, and saves; returns what was saved.
    @discardableResult
    public func update(_ change: (inout PullRecord) -> Void) throws(PullRecordError) -> PullRecord {
        var record = try load()
        change(&record)
        record.trim(to: limit)
        try save(record)
        return record
    }

    /// A decoding error in a sentence (what is wrong, and where in the file).
    private static func reason(_ error: Error) -> String {
        guard let decoding = error as? DecodingError else { return "not JSON" }
        switch decoding {
        case .dataCorrupted(let context): return "not valid JSON" + location(context)
        case .keyNotFound(let key, let context): return "'\(key.stringValue)' is missing" + location(context)
        case .typeMismatch(_, let context), .valueNotFound(_, let context): return "a value has the wrong type" + location(context)
        @unknown default: return "not a pull record"
        }
    }

    private static func location(_ context: DecodingError.Context) -> String {
        let path = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? "." + $0.stringValue }.joined()
        return path.isEmpty ? "" : " at \(path)"
    }
}

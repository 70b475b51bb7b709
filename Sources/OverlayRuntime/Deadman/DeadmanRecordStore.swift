import Foundation
import OverlayCore

/// Why the deadman's record could not be read or written.
public enum DeadmanRecordError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file is there but is not a record overlay can read.
    case corrupt(path: String, reason: String)
    /// Reading or writing failed.
    case io(path: String, reason: String)

    public var description: String {
        switch self {
        case .corrupt(let path, let reason):
            return
                "\(path) is unreadable (\(reason)); the deadman takes no action while it cannot tell what it already did — run 'overlay deadman reset' to set it aside and start afresh"
        case .io(let path, let reason):
            return "cannot read or write \(path): \(reason)"
        }
    }
}

/// Loads and saves a state dir's `DeadmanRecord` (`deadman.json`), atomically.
///
/// A missing file is a fresh record; a corrupt one is an error, never a fresh record: it may
/// hold an episode whose caps are spent or a `deadman_active` mark, and forgetting them would
/// let a flapping agent be restarted and rolled back again.
public struct DeadmanRecordStore: Sendable {
    /// The record's file.
    public let path: String

    /// Files larger than this are not read (the record is bounded far below it).
    static let maxFileBytes = 4 << 20

    /// The store of `state`.
    public init(state: StateDirectory) { path = state.deadmanRecordPath }

    /// The record, or a fresh one when there is no file yet.
    public func load() throws(DeadmanRecordError) -> DeadmanRecord {
        var st = stat()
        if lstat(path, &st) != 0 {
            if errno == ENOENT { return DeadmanRecord() }
            throw .io(path: path, reason: ErrnoText.describe(errno))
        }
        guard st.st_mode & S_IFMT == S_IFREG else { throw .corrupt(path: path, reason: "not a regular file") }
        guard Int(st.st_size) <= Self.maxFileBytes else {
            throw .corrupt(path: path, reason: "\(st.st_size) bytes, far more than a record holds")
        }
        guard let data = FileManager.default.contents(atPath: path) else { throw .io(path: path, reason: "cannot read it") }
        let record: DeadmanRecord
        do { record = try Self.decoder.decode(DeadmanRecord.self, from: data) } catch {
            throw .corrupt(path: path, reason: Self.reason(error))
        }
        guard record.version == 1 else { throw .corrupt(path: path, reason: "version \(record.version), written by a newer overlay") }
        guard record.episodeCount >= 0, record.episode.map({ $0.restarts >= 0 }) ?? true else {
            throw .corrupt(path: path, reason: "negative counters")
        }
        return record
    }

    /// Writes `record` atomically: a crash leaves the old file or the new one.
    public func save(_ record: DeadmanRecord) throws(DeadmanRecordError) {
        let data: Data
        do { data = try Self.encoder.encode(record) } catch { throw .io(path: path, reason: "\(error)") }
        do { try DurableFile.replace(path, with: data + Data("\n".utf8), mode: 0o600) } catch {
            throw .io(path: path, reason: error.description)
        }
    }

    /// Moves an unreadable file aside (`deadman.json.corrupt-<time>`); returns where it went.
    public func setAside(at time: Date) throws(DeadmanRecordError) -> String? {
        var st = stat()
        guard lstat(path, &st) == 0 else { return nil }
        let aside = path + ".corrupt-\(Int(time.timeIntervalSince1970))"
        guard rename(path, aside) == 0 else { throw .io(path: path, reason: ErrnoText.describe(errno)) }
        return aside
    }

    static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(DeadmanTime.string(date))
        }
        return encoder
    }

    static var decoder: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            guard let date = DeadmanTime.date(text) else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "'\(text)' is not an ISO 8601 time")
            }
            return date
        }
        return decoder
    }

    private static func reason(_ error: Error) -> String {
        guard let decoding = error as? DecodingError else { return "not JSON" }
        switch decoding {
        case .dataCorrupted(let context): return "not valid JSON" + location(context)
        case .keyNotFound(let key, let context): return "'\(key.stringValue)' is missing" + location(context)
        case .typeMismatch(_, let context), .valueNotFound(_, let context): return "a value has the wrong type" + location(context)
        @unknown default: return "not a deadman record"
        }
    }

    private static func location(_ context: DecodingError.Context) -> String {
        let path = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? "." + $0.stringValue }.joined()
        return path.isEmpty ? "" : " at \(path)"
    }
}

/// The deadman's timestamps: ISO 8601 in UTC with milliseconds (an episode's `max_age` is
/// measured between heartbeats, so whole seconds would round it).
public enum DeadmanTime {
    /// `2026-01-05T10:00:00.250Z`.
    public static func string(_ date: Date) -> String { formatter.string(from: date) }

    /// Parses what `string` writes (and whole-second times).
    public static func date(_ text: String) -> Date? {
        formatter.date(from: text) ?? plain.date(from: text)
    }

    private static var formatter: ISO8601DateFormatter {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return f
    }

    private static var plain: ISO8601DateFormatter { ISO8601DateFormatter() }
}

import Foundation
import OverlayCore

/// What one pull came to.
public enum PullResult: String, Codable, Sendable {
    /// A new commit went live.
    case applied
    /// The commit was live already: nothing was done.
    case unchanged
    /// The commit failed validation or the signature check; nothing changed.
    case rejected
    /// The commit was not applied on purpose (marked bad by the deadman).
    case skipped
    /// The pull could not finish (fetch failed, apply failed); nothing changed.
    case failed
}

/// One pull: when, which ref and commit, what came of it.
public struct PullAttempt: Codable, Sendable, Equatable {
    /// ISO 8601, UTC.
    public var time: String
    public var ref: String
    /// The commit the ref pointed at, when the fetch got that far.
    public var commit: String?
    public var result: PullResult
    /// The generation live afterwards, for `applied` and `unchanged`.
    public var generation: Int?
    /// Why, for `rejected` (the first diagnostic), `skipped` and `failed`.
    public var detail: String?

    public init(time: String, ref: String, commit: String?, result: PullResult, generation: Int? = nil, detail: String? = nil) {
        self.time = time
        self.ref = ref
        self.commit = commit
        self.result = result
        self.generation = generation
        self.detail = detail.map { String($0.prefix(PullDiagnostic.messageLimit)) }
    }
}

/// The commit live through pull.
public struct AppliedCommit: Codable, Sendable, Equatable {
    public var commit: String
    public var ref: String
    /// ISO 8601, UTC.
    public var time: String
    public var generation: Int?
    /// The state dir the commit was applied to (the host's; nil when it is this record's own).
    public var stateDir: String? = nil
    /// The inventory host it was applied for (nil in records written before it was kept).
    public var host: String? = nil
}

/// A commit pull refused, and why.
public struct RejectedCommit: Codable, Sendable, Equatable {
    public var commit: String
    public var ref: String
    /// ISO 8601, UTC.
    public var time: String
    /// The first `PullRecord.diagnosticsLimit` problems.
    public var diagnostics: [PullDiagnostic]
    /// How many more problems there were.
    public var omitted: Int
}

/// A commit the deadman rolled back from: pull skips it.
public struct BadCommit: Codable, Sendable, Equatable {
    public var commit: String
    /// ISO 8601, UTC: when it was marked.
    public var time: String
    /// The generation it had made live.
    public var generation: Int?
    public var reason: String
}

/// One problem with a rejected commit: a validation diagnostic (with its location) or a
/// refusal without one (a bad signature, an unsafe tree entry).
public struct PullDiagnostic: Codable, Sendable, Equatable {
    public var file: String?
    public var line: Int?
    public var column: Int?
    /// `error`, `warning` or `info`.
    public var severity: String
    /// The stable rule id (docs/rules.md).
    public var rule: String
    public var message: String

    /// A message longer than this is cut (the file must stay small).
    public static let messageLimit = 2000

    public init(file: String? = nil, line: Int? = nil, column: Int? = nil, severity: String = "error", rule: String, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.severity = severity
        self.rule = rule
        self.message = String(message.prefix(Self.messageLimit))
    }

    /// A validation diagnostic as recorded.
    public init(_ diagnostic: Diagnostic) {
        self.init(
            file: diagnostic.file, line: diagnostic.line, column: diagnostic.column, severity: diagnostic.severity.rawValue,
            rule: diagnostic.rule, message: diagnostic.message)
    }
}

/// The record's timestamps: ISO 8601 in UTC, to the second.
enum PullTime {
    static func string(_ date: Date) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        return f.string(from: date)
    }
}

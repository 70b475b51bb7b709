import Foundation
import OverlayCore
import OverlayRuntime

/// The pull part of `overlay status`: the last pull and the commits pull refused, from the
/// state dir's `pull.json`.
enum PullStatus {
    /// `last_pull` and `rejected_commits` members (an unreadable record is said, not hidden).
    static func json(_ state: StateDirectory) -> [(String, Value)] {
        let record: PullRecord
        do { record = try PullRecordStore(state: state).load() } catch {
            return [("last_pull", .object([("error", .string(error.description))])), ("rejected_commits", .array([]))]
        }
        let last: Value = record.last.map { attempt in
            .object([
                ("time", .string(attempt.time)), ("ref", .string(attempt.ref)), ("commit", attempt.commit.map(Value.string) ?? .null),
                ("result", .string(attempt.result.rawValue)), ("generation", attempt.generation.map(Value.int) ?? .null),
                ("detail", attempt.detail.map(Value.string) ?? .null),
            ])
        } ?? .null
        let rejected: [Value] = record.rejected.reversed().prefix(5).map { r in
            .object([
                ("commit", .string(r.commit)), ("ref", .string(r.ref)), ("time", .string(r.time)),
                ("diagnostics", .array(r.diagnostics.map { .string(Self.line($0)) })),
            ])
        }
        let bad: [Value] = record.bad.map { b in
            .object([("commit", .string(b.commit)), ("time", .string(b.time)), ("reason", .string(b.reason))])
        }
        return [("last_pull", last), ("rejected_commits", .array(rejected)), ("bad_commits", .array(bad))]
    }

    /// The `last pull:` line, with the rejected and bad commits below it.
    static func text(_ state: StateDirectory) -> String {
        guard let record = try? PullRecordStore(state: state).load() else { return "last pull: pull.json is unreadable\n" }
        guard let last = record.last else { return "last pull: never\n" }
        var out = "last pull: \(last.time) \(last.ref) \(last.commit.map { String($0.prefix(12)) } ?? "-") \(last.result.rawValue)"
        out += last.generation.map { " (generation \($0))" } ?? ""
        out += last.detail.map { ": \($0)" } ?? ""
        out += "\n"
        for r in record.rejected.reversed().prefix(5) {
            out += "  rejected \(r.commit.prefix(12)) (\(r.time)): \(r.diagnostics.first.map(Self.line) ?? "")\n"
        }
        for b in record.bad { out += "  bad      \(b.commit.prefix(12)) (\(b.time)): \(b.reason)\n" }
        return out
    }

    private static func line(_ d: PullDiagnostic) -> String {
        let place = d.file.map { "\($0):\(d.line ?? 1):\(d.column ?? 1): " } ?? ""
        return "\(place)\(d.message) [\(d.rule)]"
    }
}

import Foundation
import OverlayCore

/// What `overlay status` reports about a state dir beyond the live generation and file drift:
/// a `current` that points at a missing generation, the crontab block against the generation's
/// jobs, handlers a switch still owes, and a switch an interrupted run left unsettled.
public struct StatusFindings: Sendable {
    /// `current` points at a missing generation (what the next apply or rollback does about it).
    public var dangling: String?
    /// The crontab block compared with the live generation's jobs (nil: nothing recorded).
    public var crontab: CrontabStatus?
    /// Handlers a switch happened for and that have not run yet.
    public var owedHandlers: [String] = []
    /// Why the handler journal or the switch intent could not be read.
    public var unreadable: [String] = []

    /// Reads them from `state` (read-only: no lock, nothing changed).
    public static func gather(_ state: StateDirectory) -> StatusFindings {
        var out = StatusFindings()
        let store = GenerationStore(state: state)
        if case .dangling(let n, let fallback) = store.live() {
            out.dangling =
                "current points at generation \(n), which is missing; the next apply or rollback switches to "
                + (fallback.map { "generation \($0), the newest complete one" } ?? "no generation (none is complete)")
        }
        out.crontab = DriftDetector(state: state).crontab()
        do { out.owedHandlers = try HandlerJournal.owed(state).map(\.name) } catch { out.unreadable.append(error.description) }
        if LedgerIntent.exists(state) {
            do { _ = try LedgerIntent.read(state) } catch { out.unreadable.append(error.description) }
        }
        // pull.json holds the commits pull must skip (rejected, rolled back from): damage there
        // needs a person, so status says so and exits 1, as for the other records.
        do { _ = try PullRecordStore(state: state).load() } catch { out.unreadable.append(error.description) }
        return out
    }

    /// True when nothing here needs attention.
    public var ok: Bool { dangling == nil && (crontab?.inSync ?? true) && owedHandlers.isEmpty && unreadable.isEmpty }

    /// Lines for the text output.
    public var textLines: [String] {
        var lines: [String] = []
        if let dangling { lines.append("generation: \(dangling)") }
        if let crontab { lines.append(crontab.summary) }
        if !owedHandlers.isEmpty {
            lines.append(
                "handlers owed: \(owedHandlers.joined(separator: ", ")) (a switch happened and its handlers did not run); run 'overlay apply' to run them"
            )
        }
        lines += unreadable
        return lines
    }

    /// Members for the JSON object: `crontab`, `pending_handlers`, and `notices` when any.
    public var jsonMembers: [(String, Value)] {
        var members: [(String, Value)] = []
        if let crontab {
            var pairs: [(String, Value)] = [
                ("target", .string(crontab.target)), ("generation", .int(crontab.generation)), ("in_sync", .bool(crontab.inSync)),
            ]
            if let drift = crontab.drift {
                pairs += [
                    ("missing", .array(drift.missing.map(Value.string))), ("changed", .array(drift.changed.map(Value.string))),
                    ("extra", .array(drift.extra.map(Value.string))),
                ]
            }
            if let error = crontab.error { pairs.append(("error", .string(error))) }
            members.append(("crontab", .object(pairs)))
        } else {
            members.append(("crontab", .null))
        }
        members.append(("pending_handlers", .array(owedHandlers.map(Value.string))))
        let notices = (dangling.map { [$0] } ?? []) + unreadable
        if !notices.isEmpty { members.append(("notices", .array(notices.map(Value.string)))) }
        return members
    }
}

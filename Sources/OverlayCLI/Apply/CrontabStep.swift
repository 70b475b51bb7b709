import Foundation
import OverlayCore
import OverlayRuntime

/// The last step of apply: install the host's cron jobs into its managed crontab block.
///
/// Runs after the switch (and in a dry run, only reports). A failure here does not undo
/// the switch: the new files stay live and the command exits 1, saying so.
struct CrontabStep {
    var state: RenderedState
    var hostVars: Value?
    var environment: [String: String]

    /// The outcome, for output.
    struct Outcome {
        var target: String
        var change: CrontabChange?
        var error: String?
    }

    func run(dryRun: Bool) -> Outcome {
        let target: CrontabTarget
        do { target = try CrontabTarget.resolve(hostVars: hostVars, environment: environment) } catch {
            return Outcome(target: "?", change: nil, error: error.description)
        }
        do {
            let crontab = try ManagedCrontab(target: target)
            let change = try crontab.install(jobs: state.cronJobs, host: state.host, dryRun: dryRun)
            return Outcome(target: target.description, change: change, error: nil)
        } catch {
            return Outcome(target: target.description, change: nil, error: error.description)
        }
    }
}

extension CrontabStep.Outcome {
    /// The `cron` member of apply's JSON.
    var json: Value {
        var pairs: [(String, Value)] = [("target", .string(target))]
        if let change {
            pairs += [
                ("added", .array(change.added.map(Value.string))), ("updated", .array(change.updated.map(Value.string))),
                ("removed", .array(change.removed.map(Value.string))), ("unchanged", .int(change.unchanged.count)),
                ("written", .bool(change.written)),
            ]
        }
        if let error { pairs.append(("error", .string(error))) }
        return .object(pairs)
    }

    /// One line for the text output, nil when nothing changed.
    var text: String? {
        if let error { return "crontab \(target): \(error)" }
        guard let change, change.changedJobs else { return nil }
        var parts: [String] = []
        if !change.added.isEmpty { parts.append("added \(change.added.joined(separator: ", "))") }
        if !change.updated.isEmpty { parts.append("updated \(change.updated.joined(separator: ", "))") }
        if !change.removed.isEmpty { parts.append("removed \(change.removed.joined(separator: ", "))") }
        return "crontab \(target): " + parts.joined(separator: "; ")
    }
}

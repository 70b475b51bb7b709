import Foundation
import OverlayCore
import OverlayRuntime

/// Reads what `overlay apply --format json` printed on an SSH host into a host outcome.
struct RemoteApplyResult {
    var host: String
    var target: SSHTarget
    var result: ChildResult

    var outcome: HostOutcome {
        let said = String(decoding: result.errors, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        let lastWords = said.split(whereSeparator: \.isNewline).suffix(3).joined(separator: "\n")
        guard let json = try? JSONSerialization.jsonObject(with: result.output) as? [String: Any] else {
            if result.status == 127 {
                return .failed(
                    host, "'\(target.overlayCommand)' was not found on \(target.shown): install overlay there or set overlay_bin")
            }
            return .failed(host, "overlay on \(target.shown) exited \(result.status) without a result: \(lastWords)")
        }
        let generation = json["generation"] as? Int
        let changes = (json["changes"] as? [[String: Any]] ?? []).compactMap { change -> RemoteChanges.Change? in
            let action = change["action"] as? String ?? "?"
            guard action != "unchanged" && action != "kept" else { return nil }
            return RemoteChanges.Change(action: action, path: change["path"] as? String ?? "?", diff: change["diff"] as? String)
        }
        let cron = json["cron"] as? [String: Any] ?? [:]
        let parts = ["added", "updated", "removed"].compactMap { key -> (kind: String, names: [String])? in
            guard let names = cron[key] as? [String], !names.isEmpty else { return nil }
            return (key, names)
        }
        let remote = RemoteChanges(changes: changes, crontab: cron["target"] as? String, cronParts: parts)
        guard json["ok"] as? Bool == true, result.status == 0 else {
            let error = json["error"] as? String ?? (lastWords.isEmpty ? "overlay apply exited \(result.status)" : lastWords)
            let code = result.status == 75 ? " (another overlay run held the host's lock)" : ""
            var outcome = HostOutcome.failed(host, error + code, generation: generation)
            outcome.detail = .remote(remote)
            return outcome
        }
        return HostOutcome(
            host: host, status: remote.changedAnything ? .changed : .ok, generation: generation, detail: .remote(remote))
    }
}

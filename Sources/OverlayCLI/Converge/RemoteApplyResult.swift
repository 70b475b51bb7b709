import Foundation
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
        let changes = (json["changes"] as? [[String: Any]] ?? []).filter {
            let action = $0["action"] as? String
            return action != "unchanged" && action != "kept"
        }
        let cron = json["cron"] as? [String: Any] ?? [:]
        let cronChanged = ["added", "updated", "removed"].contains { !((cron[$0] as? [Any])?.isEmpty ?? true) }
        var details = changes.map { change in
            let line = "\(change["action"] as? String ?? "?")  \(change["path"] as? String ?? "?")\n"
            return line + ((change["diff"] as? String).map { $0.hasSuffix("\n") ? $0 : $0 + "\n" } ?? "")
        }.joined()
        if cronChanged, let t = cron["target"] as? String {
            let parts = ["added", "updated", "removed"].compactMap { key -> String? in
                guard let names = cron[key] as? [String], !names.isEmpty else { return nil }
                return "\(key) \(names.joined(separator: ", "))"
            }
            details += "crontab \(t): \(parts.joined(separator: "; "))\n"
        }
        guard json["ok"] as? Bool == true, result.status == 0 else {
            let error = json["error"] as? String ?? (lastWords.isEmpty ? "overlay apply exited \(result.status)" : lastWords)
            let code = result.status == 75 ? " (another overlay run held the host's lock)" : ""
            var outcome = HostOutcome.failed(host, error + code, generation: generation)
            outcome.details = details
            return outcome
        }
        let changed = !changes.isEmpty || cronChanged
        return HostOutcome(host: host, status: changed ? .changed : .ok, generation: generation, details: details)
    }
}

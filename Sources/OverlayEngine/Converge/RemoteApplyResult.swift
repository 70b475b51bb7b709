import Foundation
import OverlayCore
import OverlayRuntime

/// Reads what `overlay apply --format json` printed on an SSH host into a host outcome.
struct RemoteApplyResult {
    var host: String
    var target: SSHTarget
    var result: ChildResult

    /// The line the remote command prints on stdout just before overlay runs: whatever a
    /// login script printed comes before it.
    static let startMarker = "OVERLAY_RESULT_FOLLOWS"

    /// What follows the last start marker line (all of `output` when there is none).
    static func afterStartMarker(_ output: Data) -> Data {
        let marker = Data((startMarker + "\n").utf8)
        guard let found = output.range(of: marker, options: .backwards) else { return output }
        return output.subdata(in: found.upperBound..<output.endIndex)
    }

    var outcome: HostOutcome {
        let lines = String(decoding: result.errors, as: UTF8.self).split(whereSeparator: \.isNewline)
        let said = lines.filter { !$0.hasPrefix(SSHHostConverge.exitMarker) && !$0.allSatisfy(\.isWhitespace) }
        let lastWords = said.suffix(3).joined(separator: "\n")
        guard let json = try? JSONSerialization.jsonObject(with: result.output) as? [String: Any] else {
            if result.status == 127 {
                return .failed(
                    host, "'\(target.overlayCommand)' was not found on \(target.shown): install overlay there or set overlay_bin")
            }
            if result.status > 128 && result.status < 160 {
                let signal = result.status - 128
                return .failed(
                    host,
                    "overlay on \(target.shown) was killed by signal \(signal) (\(Self.signalName(signal))) before it reported; its apply is atomic, so the host shows its old or its new generation"
                )
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
        var remote = RemoteChanges(changes: changes, crontab: cron["target"] as? String, cronParts: parts)
        remote.warnings = json["warnings"] as? [String] ?? []
        guard json["ok"] as? Bool == true, result.status == 0 else {
            let error = json["error"] as? String ?? (lastWords.isEmpty ? "overlay apply exited \(result.status)" : lastWords)
            let code = result.status == 75 ? " (another overlay run held the host's lock)" : ""
            var outcome = HostOutcome.failed(host, error + code, generation: generation)
            outcome.detail = .remote(remote)
            return outcome
        }
        // A success claim is believed only in overlay apply's shape (SPEC §3.2): a program
        // that prints {"ok": true} did not apply anything.
        guard json["changes"] is [Any], json["summary"] is [String: Any], json["switched"] is Bool,
            json["generation"] == nil || json["generation"] is NSNull || generation != nil
        else {
            return .failed(
                host,
                "'\(target.overlayCommand)' on \(target.shown) claimed success without overlay apply's result (changes, summary, switched, generation); is overlay_bin an overlay?"
            )
        }
        return HostOutcome(
            host: host, status: remote.changedAnything ? .changed : .ok, generation: generation, detail: .remote(remote))
    }
}

extension RemoteApplyResult {
    /// The usual name of a signal number (Linux numbering).
    static func signalName(_ n: Int32) -> String {
        let names: [Int32: String] = [
            1: "SIGHUP", 2: "SIGINT", 3: "SIGQUIT", 6: "SIGABRT", 9: "SIGKILL", 11: "SIGSEGV", 13: "SIGPIPE", 14: "SIGALRM",
            15: "SIGTERM", 24: "SIGXCPU", 25: "SIGXFSZ",
        ]
        return names[n] ?? "signal \(n)"
    }
}

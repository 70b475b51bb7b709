import Foundation
import OverlayCore

/// `overlay cron import`: declarations (`cron/agent-jobs.yaml`) written from a live
/// `jobs.json`, keeping only the fields a declaration owns — the way out of keeping
/// `jobs.json` itself in git.
public enum AgentJobsImport {
    /// The YAML, how many jobs it declares, and what could not be carried over.
    public struct Result: Sendable {
        public var yaml: String
        public var count: Int
        public var warnings: [String]
    }

    /// Reads `data` (a jobs.json, named `path`) and writes one declaration per job. Jobs
    /// overlay already manages are left out unless `includeOverlayJobs`.
    public static func declarations(
        from data: [UInt8], path: String, includeOverlayJobs: Bool = false, now: Date = Date()
    )
        throws(AgentJobsError) -> Result
    {
        let document = try JobsDocument.parse(data, path: path)
        var yaml = "# Imported from \(path) by `overlay cron import`: only the fields a declaration owns.\n"
        yaml += "# Run-time state (next/last run, run counts, claims) stays in the harness's file.\nagent_jobs:\n"
        var warnings: [String] = []
        var names: Set<String> = []
        var count = 0
        for job in document.jobs {
            if !includeOverlayJobs, AgentJobMark(job) != nil { continue }
            var base = HarnessText(job["name"]?.stringValue ?? "").value
            if base.isEmpty { base = job["id"]?.stringValue ?? "job" }
            var name = base
            var n = 2
            while names.contains(name.lowercased()) {
                name = "\(base)-\(n)"
                n += 1
            }
            names.insert(name.lowercased())
            if name != job["name"]?.stringValue {
                warnings.append("job \(job["id"]?.stringValue ?? "?") is declared as '\(name)' (names must be unique)")
            }
            guard let schedule = scheduleText(job["schedule"]) else {
                warnings.append("job '\(name)': it has no schedule the harness stores (kind interval, cron or once); left out")
                continue
            }
            if case .failure(let error) = AgentSchedule.parse(schedule) {
                warnings.append("job '\(name)': schedule '\(schedule)': \(error.message)")
            }
            if case .success(let parsed) = AgentSchedule.parse(schedule), case .once(let time) = parsed.kind,
                time.instant(in: .current) < now
            {
                warnings.append("job '\(name)': its one-shot time \(schedule) has passed; apply will not create it")
            }
            var lines = ["  - name: \(quote(name))", "    schedule: \(quote(schedule))"]
            for (key, field) in [
                ("prompt", "prompt"), ("script", "script"), ("model", "model"), ("provider", "provider"), ("base_url", "base_url"),
                ("workdir", "workdir"),
            ] {
                guard let text = job[field]?.stringValue, !text.isEmpty else { continue }
                if text.contains("{{") {
                    warnings.append("job '\(name)': its \(key) contains '{{', which overlay reads as a host variable; rewrite it")
                }
                lines.append("    \(key): " + block(text, indent: 6))
            }
            if job["no_agent"]?.boolValue == true { lines.append("    no_agent: true") }
            let skills = (job["skills"].flatMap(strings) ?? []) + (job["skill"]?.stringValue.map { [$0] } ?? [])
            var unique: [String] = []
            for s in skills where !unique.contains(s) { unique.append(s) }
            if !unique.isEmpty { lines.append("    skills: [\(unique.map(quote).joined(separator: ", "))]") }
            if let toolsets = job["enabled_toolsets"].flatMap(strings), !toolsets.isEmpty {
                lines.append("    toolsets: [\(toolsets.map(quote).joined(separator: ", "))]")
            }
            let deliver = deliverText(job, name: name, warnings: &warnings)
            if deliver != "local" { lines.append("    deliver: \(quote(deliver))") }
            if job["enabled"]?.boolValue == false || job["state"]?.stringValue == "paused" { lines.append("    enabled: false") }
            if let from = job["context_from"], from != .null {
                let ids = strings(from)?.joined(separator: ", ") ?? "?"
                warnings.append("job '\(name)': context_from (\(ids)) names job ids, which declarations do not have; left out")
            }
            yaml += lines.joined(separator: "\n") + "\n"
            count += 1
        }
        if count == 0 { yaml += "  []\n" }
        return Result(
            yaml: yaml.replacingOccurrences(of: "agent_jobs:\n  []\n", with: "agent_jobs: []\n"), count: count, warnings: warnings)
    }

    /// The schedule as a declaration writes it.
    static func scheduleText(_ schedule: JobsJSON?) -> String? {
        switch schedule?["kind"]?.stringValue {
        case "interval":
            guard case .number(let m)? = schedule?["minutes"], let minutes = Int(m) else { return nil }
            return "every \(minutes)m"
        case "cron": return schedule?["expr"]?.stringValue
        case "once": return schedule?["run_at"]?.stringValue
        default: return nil
        }
    }

    /// `deliver` with `origin` replaced by the chat the job was created in, when known.
    static func deliverText(_ job: JobsJSON, name: String, warnings: inout [String]) -> String {
        var parts: [String]
        switch job["deliver"] {
        case .string(let s)?: parts = s.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }
        case .array(let items)?: parts = items.compactMap(\.stringValue)
        default: parts = ["local"]
        }
        if parts.contains("origin"), let origin = job["origin"], let platform = origin["platform"]?.stringValue,
            let chat = origin["chat_id"].flatMap({ $0.stringValue ?? { if case .number(let n) = $0 { return n } else { return nil } }($0) })
        {
            let thread = origin["thread_id"].flatMap {
                $0.stringValue ?? { if case .number(let n) = $0 { return n } else { return nil } }($0)
            }
            let target = "\(platform):\(chat)" + (thread.map { ":\($0)" } ?? "")
            warnings.append("job '\(name)': deliver 'origin' was the chat it was created in; declared as '\(target)'")
            parts = parts.map { $0 == "origin" ? target : $0 }
        }
        let joined = parts.filter { !$0.isEmpty }.joined(separator: ",")
        return joined.isEmpty ? "local" : joined
    }

    static func strings(_ v: JobsJSON) -> [String]? {
        if case .array(let items) = v { return items.compactMap(\.stringValue) }
        return v.stringValue.map { [$0] }
    }

    /// A YAML double-quoted scalar (every control or line-breaking character escaped).
    static func quote(_ s: String) -> String { YAMLScalarText.doubleQuoted(s) }

    /// A literal block for readable multi-line text, else a quoted scalar.
    static func block(_ s: String, indent: Int) -> String {
        let printable = s.unicodeScalars.allSatisfy {
            $0 == "\n" || $0 == "\t"
                || ($0.value >= 0x20 && !(0x7F...0x9F).contains($0.value) && ![0x2028, 0x2029, 0xFEFF].contains($0.value))
        }
        guard s.contains("\n"), printable, !s.hasPrefix(" "), !s.hasPrefix("\t"), !s.hasPrefix("\n") else { return quote(s) }
        let trailing = s.reversed().prefix { $0 == "\n" }.count
        let chomp = trailing == 0 ? "|-" : (trailing == 1 ? "|" : "|+")
        let body = trailing == 0 ? s : String(s.dropLast(trailing))
        let pad = String(repeating: " ", count: indent)
        var lines = body.split(separator: "\n", omittingEmptySubsequences: false).map { $0.isEmpty ? "" : pad + $0 }
        if trailing > 1 { lines += Array(repeating: "", count: trailing - 1) }
        return chomp + "\n" + lines.joined(separator: "\n")
    }
}

/// `str.strip()` on a job name.
private struct HarnessText {
    let value: String
    init(_ s: String) { value = s.trimmingCharacters(in: .whitespacesAndNewlines) }
}

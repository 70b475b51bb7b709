import Foundation

/// Checks on the text of a declared agent job, shared by the file check (literal values) and
/// the per-host render (templated values).
enum AgentJobText {
    /// True when `text` holds a `{{ }}` reference (checked after rendering, per host).
    static func isTemplated(_ text: String) -> Bool { text.contains("{{") }

    /// Parses a schedule and reports its problems and warnings at the offending character.
    static func checkSchedule(
        _ text: String, node: Node, file: String, note: String = "", into out: inout [Diagnostic]
    )
        -> AgentSchedule?
    {
        switch AgentSchedule.parse(text) {
        case .success(let schedule):
            for w in schedule.warnings {
                out.append(Diagnostic(file: file, at: CronText.mark(of: w.offset, in: node), .warning, rule: w.rule, w.message + note))
            }
            return schedule
        case .failure(let error):
            out.append(Diagnostic(file: file, at: CronText.mark(of: error.offset, in: node), rule: error.rule, error.message + note))
            return nil
        }
    }

    /// The harness refuses a job whose prompt would restart or stop its own gateway
    /// (`cron/lifecycle_guard.py`: a restart loop under systemd or launchd), and a NUL cannot
    /// reach a model.
    static func checkPrompt(_ prompt: String, node: Node, file: String, note: String = "", into out: inout [Diagnostic]) {
        if prompt.unicodeScalars.contains("\0") {
            out.append(
                Diagnostic(
                    file: file, at: node.mark, rule: "agentjobs.control-character",
                    "the prompt contains a NUL byte\(note); no model reads it — remove it"))
        }
        if let found = lifecycleCommand(in: prompt) {
            out.append(
                Diagnostic(
                    file: file, at: node.mark, rule: "agentjobs.lifecycle-command",
                    "the prompt asks for '\(found)'\(note): the harness refuses jobs that restart or stop its own gateway (the job would kill the process that runs it, in a loop); use the deadman or a handler for restarts"
                ))
        }
    }

    /// The harness's `_GATEWAY_LIFECYCLE_PATTERN`.
    nonisolated(unsafe) static let lifecyclePattern = try? NSRegularExpression(
        pattern: #"(?:hermes\s+gateway\s+(?:restart|stop))"#
            + #"|(?:launchctl\s+(?:kickstart|unload|load|stop|restart)\b[^\n]*\bhermes[.\-]?gateway)"#
            + #"|(?:systemctl\s+(?:-\S+\s+)*(?:restart|stop|start)\b[^\n]*\bhermes[.\-]?gateway)"#
            + #"|(?:p?kill\b[^\n]*\bhermes\b[^\n]*\bgateway)"# + #"|(?:p?kill\b[^\n]*\bgateway\b[^\n]*\bhermes)"#,
        options: [.caseInsensitive])

    /// The first gateway lifecycle command in `text`, if any.
    static func lifecycleCommand(in text: String) -> String? {
        guard let regex = lifecyclePattern,
            let match = regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)),
            let range = Range(match.range, in: text)
        else { return nil }
        return String(text[range].prefix(80))
    }
}

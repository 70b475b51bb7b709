import Foundation
import OverlayCore

/// Turns one declared cron job into the crontab line cron will run, refusing lines cron would misread.
///
/// The checks run before anything is written, so a job that would not parse never
/// reaches the crontab (where `crontab -` would reject the whole file, or a
/// /etc/cron.d file would silently lose the line).
public enum CrontabLine {
    /// The crontab line of `job`; `user` is the user column (only for /etc/cron.d-format targets).
    public static func render(_ job: RenderedCronJob, user: String?) throws(CrontabError) -> String {
        try checkName(job.name)
        let schedule = String(StringScan.trimmingBlanks(job.schedule))
        if let problem = scheduleProblem(schedule) { throw .invalidJob(name: job.name, reason: problem) }
        if let problem = commandProblem(job.command) { throw .invalidJob(name: job.name, reason: problem) }
        var parts = [schedule]
        if let user {
            guard !user.isEmpty,
                !user.unicodeScalars.contains(where: { $0.properties.isWhitespace || $0.properties.generalCategory == .control })
            else {
                throw .invalidJob(name: job.name, reason: "user column '\(user)' must be a user name without spaces")
            }
            parts.append(user)
        }
        for key in job.env.keys.sorted() { try checkAssignment(key, job.env[key] ?? "", job: job.name) }
        let field = CronCommandField.render(command: job.command, env: job.env)
        if let problem = CronCommandField.lengthProblem(bytes: field.utf8.count) { throw .invalidJob(name: job.name, reason: problem) }
        parts.append(field)
        return parts.joined(separator: " ")
    }

    /// Job names key the block and appear in marker comments, so they keep to the spec's alphabet.
    static func checkName(_ name: String) throws(CrontabError) {
        let ok = name.unicodeScalars.enumerated().allSatisfy { index, scalar in
            switch scalar {
            case "a"..."z", "0"..."9": return true
            case "_", "-": return index > 0
            default: return false
            }
        }
        guard ok, !name.isEmpty else {
            throw .invalidJob(name: name, reason: "job names must match [a-z0-9][a-z0-9_-]*")
        }
    }

    /// The schedule checked by the cron engine `overlay validate` uses (Debian cron's rules).
    static func scheduleProblem(_ schedule: String) -> String? {
        do {
            _ = try CronSchedule.parse(schedule)
            return nil
        } catch {
            return "schedule '\(schedule)': \(error.description)"
        }
    }

    /// Cron ends a command at a newline and turns an unescaped `%` into one.
    static func commandProblem(_ command: String) -> String? {
        if StringScan.trimmingBlanks(command).isEmpty { return "the command is empty" }
        if command.utf8.contains(where: { $0 == 0x0A || $0 == 0x0D }) { return "the command contains a newline; put multi-line logic in a script" }
        if command.utf8.contains(0) { return "the command contains a NUL byte" }
        if StringScan.contains(command, "${secret:") {
            return "the command contains ${secret:…}, which is resolved only in templates; have the command read the secret's file instead"
        }
        if command.unicodeScalars.contains(where: CrontabBytes.isEscape) {
            return "the command contains a character of U+10FF00–U+10FFFF, which overlay reserves for crontab bytes it keeps as they are"
        }
        var escaped = false
        for ch in command {
            if escaped {
                escaped = false
            } else if ch == "\\" {
                escaped = true
            } else if ch == "%" {
                return "the command contains an unescaped '%', which cron turns into a newline; write it as '\\%'"
            }
        }
        return nil
    }

    /// Checks an env assignment can be written on the line (`CronCommandField` quotes it).
    static func checkAssignment(_ key: String, _ value: String, job: String) throws(CrontabError) {
        let validKey = key.unicodeScalars.enumerated().allSatisfy { index, scalar in
            scalar == "_" || ("A"..."Z").contains(scalar) || ("a"..."z").contains(scalar)
                || (index > 0 && ("0"..."9").contains(scalar))
        }
        guard validKey, !key.isEmpty else {
            throw .invalidJob(name: job, reason: "env name '\(key)' is not a shell variable name")
        }
        if value.contains("\n") || value.contains("\r") || value.contains("\0") {
            throw .invalidJob(name: job, reason: "env value of \(key) contains a newline or NUL")
        }
        if value.unicodeScalars.contains(where: CrontabBytes.isEscape) {
            throw .invalidJob(name: job, reason: "env value of \(key) contains a character of U+10FF00–U+10FFFF, which overlay reserves")
        }
        // Cron reads `\%` as `%` but `\\%` as a backslash and a line break, so a
        // backslash right before `%` has no spelling that survives every cron.
        if value.contains("\\%") {
            throw .invalidJob(name: job, reason: "env value of \(key) has a backslash before '%', which cron cannot carry")
        }
    }
}

/// The command field of a crontab line as overlay installs it (the job's env exports, then its
/// command), and the longest one Debian's cron accepts.
///
/// `CrontabLine` (OverlayRuntime) writes the line with this text, and validation measures the
/// same text for every host, so `overlay validate` refuses exactly the jobs cron would.
public enum CronCommandField {
    /// Bytes of the command field Debian's cron accepts. cron.h sets `MAX_COMMAND` to 1000;
    /// entry.c reads the command with `get_string(cmd, MAX_COMMAND, …)`, which keeps at most 999
    /// bytes, and Debian's cron (3.0pl1-162 on this machine) refuses a command that fills that
    /// buffer with "command too long": `crontab -n` accepts 998 bytes and refuses 999.
    /// For a `file:` target the daemon skips the whole file instead — every other line with it.
    public static let maxBytes = 998
    /// `MAX_COMMAND` in Debian cron's cron.h, named in messages.
    public static let maxCommand = 1000

    /// The text cron reads as the command: `export K='v' …; ` before the command when the job
    /// has env, the command trimmed of surrounding blanks.
    public static func render(command: String, env: [String: String]) -> String {
        let trimmed = String(StringScan.trimmingBlanks(command))
        guard let exports = exports(env) else { return trimmed }
        return exports + " " + trimmed
    }

    /// `render(command:env:).utf8.count`, counted without building the text when the command
    /// and the values are ASCII (each character its own grapheme, so quoting and trimming act
    /// on bytes); anything else is rendered and measured.
    public static func renderedByteCount(command: String, env: [String: String]) -> Int {
        let blank = { (b: UInt8) in b == 0x20 || b == 0x09 }
        guard !UTF8Bytes.contains(command, where: { $0 >= 0x80 }),
            !env.values.contains(where: { UTF8Bytes.contains($0, where: { $0 >= 0x80 }) })
        else {
            return render(command: command, env: env).utf8.count
        }
        // `.whitespaces` holds exactly the space and the tab among ASCII characters.
        let trimmed = UTF8Bytes.with(command) { bytes in
            let start = bytes.firstIndex { !blank($0) } ?? bytes.count
            let end = (bytes.lastIndex { !blank($0) } ?? -1) + 1
            return max(end - start, 0)
        }
        guard !env.isEmpty else { return trimmed }
        // "export" + " K='v'" per variable (a `'` becomes `'\''`, a `%` `\%`) + ";" + " " + command.
        var total = 6 + 1 + 1 + trimmed
        for (key, value) in env {
            let quoted = UTF8Bytes.with(value) { bytes in
                var extra = 0
                for b in bytes {
                    if b == UInt8(ascii: "'") { extra += 3 } else if b == UInt8(ascii: "%") { extra += 1 }
                }
                return bytes.count + 2 + extra
            }
            total += 1 + key.utf8.count + 1 + quoted
        }
        return total
    }

    /// `export K='v' …;` for `env` (keys sorted), nil when there is none. A prefix assignment
    /// (`K=v cmd`) would reach only the first simple command and not `$K` on the same line.
    public static func exports(_ env: [String: String]) -> String? {
        guard !env.isEmpty else { return nil }
        return (["export"] + env.keys.sorted().map { $0 + "=" + quoted(env[$0] ?? "") }).joined(separator: " ") + ";"
    }

    /// A value in single quotes for the shell cron runs, with `%` escaped for cron.
    public static func quoted(_ value: String) -> String {
        let shell = "'" + value.replacingOccurrences(of: "'", with: #"'\''"#) + "'"
        return shell.replacingOccurrences(of: "%", with: #"\%"#)
    }

    /// The problem with a command field of `bytes` bytes, or nil when cron accepts it.
    public static func lengthProblem(bytes: Int) -> String? {
        guard bytes > maxBytes else { return nil }
        return
            "its crontab command (env exports included) is \(bytes) bytes, over Debian cron's limit of \(maxBytes) (MAX_COMMAND \(maxCommand) in cron.h): crontab refuses the whole crontab (\"command too long\") and a /etc/cron.d file would be skipped with every job in it — move the logic into a script and call the script"
    }
}

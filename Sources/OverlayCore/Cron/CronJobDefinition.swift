/// One declared cron job of a `cron/*.yaml|json` file, with where each part is written.
public struct CronJobDefinition: Sendable {
    /// Unique job name (`[a-z0-9][a-z0-9_-]*`); the managed crontab block is keyed by it.
    public var name: String
    /// The schedule as written (five fields or a macro).
    public var schedule: String
    /// The parsed schedule, nil when it is invalid.
    public var parsedSchedule: CronSchedule?
    /// The shell command cron runs.
    public var command: String
    /// The user column (for `file:` targets such as /etc/cron.d), if given.
    public var user: String?
    /// Environment assignments for the command.
    public var env: [String: String]
    /// The inventory host pattern the job is for; nil means all hosts.
    public var hosts: String?

    /// The file the job is declared in (repo-relative).
    public var file: String
    /// Where the job's mapping starts.
    public var mark: Mark
    /// Where each key's value is written (`name`, `schedule`, `command`, `user`, `env`, `hosts`).
    public var marks: CronJobMarks
    /// Columns to add to a schedule offset: 1 when the YAML/JSON scalar is quoted, else 0.
    public var scheduleQuoteShift: Int

    /// The location of a character offset inside the schedule (for schedule diagnostics).
    public func scheduleMark(offset: Int) -> Mark {
        let base = marks["schedule"] ?? mark
        return Mark(line: base.line, column: base.column + offset + scheduleQuoteShift)
    }

    /// The job as a crontab entry of the host's managed block.
    public var rendered: RenderedCronJob {
        RenderedCronJob(name: name, schedule: schedule, command: command, user: user, env: env)
    }
}

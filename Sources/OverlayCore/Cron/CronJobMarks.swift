/// Where each key of a cron job is written: one slot per job key
/// (`CronDefinitionsFile.jobKeys`), read and written by key name like a dictionary, but
/// without a hash table allocated for each of a repo's thousands of jobs.
public struct CronJobMarks: Sendable, Equatable {
    /// Where `name:`'s value is written.
    public var name: Mark?
    /// Where `schedule:`'s value is written.
    public var schedule: Mark?
    /// Where `command:`'s value is written.
    public var command: Mark?
    /// Where `user:`'s value is written.
    public var user: Mark?
    /// Where `env:`'s value is written.
    public var env: Mark?
    /// Where `hosts:`'s value is written.
    public var hosts: Mark?

    /// No key written yet.
    public init() {}

    /// The mark of `key`'s value; nil for a key not written or not a job key (setting one
    /// that is no job key keeps nothing).
    public subscript(key: String) -> Mark? {
        get {
            switch key {
            case "name": name
            case "schedule": schedule
            case "command": command
            case "user": user
            case "env": env
            case "hosts": hosts
            default: nil
            }
        }
        set {
            switch key {
            case "name": name = newValue
            case "schedule": schedule = newValue
            case "command": command = newValue
            case "user": user = newValue
            case "env": env = newValue
            case "hosts": hosts = newValue
            default: break
            }
        }
    }
}

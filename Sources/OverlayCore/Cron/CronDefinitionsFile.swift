/// The model of one `cron/*.yaml|json` file: its jobs and every problem found in it.
///
/// Problems that need more than one file (duplicate names, hosts against the inventory)
/// are found by `CronCheck`.
public struct CronDefinitionsFile: Sendable {
    /// The keys a job may have.
    public static let jobKeys = ["name", "schedule", "command", "user", "env", "hosts"]

    /// The jobs that have at least a name, a schedule and a command (possibly invalid ones).
    public private(set) var jobs: [CronJobDefinition] = []
    /// Problems in this file, each at the offending node.
    public private(set) var diagnostics: [Diagnostic] = []

    /// Reads the jobs of a parsed document (an unparsed document gives no jobs).
    public init(document: Document) {
        guard let root = document.root else { return }
        let file = document.path
        guard let pairs = root.pairs else {
            if !root.isNull {
                diagnostics.append(
                    Diagnostic(file: file, at: root.mark, rule: "cron.type", "a cron file is a mapping with a 'jobs:' list"))
            }
            return
        }
        for pair in pairs where pair.key.scalarText != "jobs" {
            let key = pair.key.scalarText ?? "?"
            let hint = Suggest.closest(key, in: ["jobs"]).map { " — did you mean '\($0)'?" } ?? ""
            diagnostics.append(
                Diagnostic(
                    file: file, at: pair.key.mark, rule: "cron.unknown-key",
                    "unknown key '\(key)' in a cron file, which only has 'jobs:'\(hint)"))
        }
        guard let jobsNode = root["jobs"], !jobsNode.isNull else { return }
        guard let items = jobsNode.items else {
            diagnostics.append(
                Diagnostic(file: file, at: jobsNode.mark, rule: "cron.type", "'jobs' must be a list of job mappings"))
            return
        }
        let schedules = CronScheduleCache.shared
        for item in items {
            var reader = CronJobReader(file: file, node: item, schedules: schedules)
            if let job = reader.read() { jobs.append(job) }
            diagnostics += reader.diagnostics
        }
    }
}

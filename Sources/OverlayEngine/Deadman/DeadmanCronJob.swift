import OverlayCore
import OverlayRuntime

/// The cron job that runs `overlay deadman check` for one host: at the `every` cadence, with
/// the absolute path of this overlay binary and the host's state dir, its output appended to
/// `logs/deadman-cron.log` there. It carries the settings, so the generation records them.
enum DeadmanCronJob {
    /// The check's output under cron (`--quiet`: only actions, changes and problems).
    static let logName = "logs/deadman-cron.log"

    /// The job for `settings` in `stateDir`, calling `executable`.
    static func make(
        _ settings: RenderedDeadman, stateDir: StateDirectory, executable: String
    ) throws(CrontabSetupError) -> RenderedCronJob {
        guard let schedule = CronSchedule.expression(everySeconds: settings.every) else {
            throw .deadmanCheck("deadman every (\(settings.every) s) is not a period cron can keep; use 1m, 5m, 1h or the like")
        }
        let command =
            "cd \(try quoted(stateDir.path)) && mkdir -p -m 700 logs && \(try quoted(executable)) deadman check --quiet >>\(logName) 2>&1"
        return RenderedCronJob(
            name: RenderedDeadman.checkJobName, schedule: schedule, command: command,
            env: ["OVERLAY_STATE_DIR": stateDir.path], deadman: settings)
    }

    /// `state` with the deadman check among its cron jobs when it declares `deadman:`.
    static func adding(
        to state: RenderedState, stateDir: StateDirectory, executable: String
    ) throws(CrontabSetupError)
        -> RenderedState
    {
        guard let settings = state.deadman else { return state }
        if state.cronJobs.contains(where: { $0.name == RenderedDeadman.checkJobName }) {
            throw .deadmanCheck(
                "a cron job is named '\(RenderedDeadman.checkJobName)', the name of the deadman check; rename that job")
        }
        var out = state
        out.cronJobs.append(try make(settings, stateDir: stateDir, executable: executable))
        return out
    }

    /// A path as one shell word, with cron's `%` escaped.
    private static func quoted(_ path: String) throws(CrontabSetupError) -> String {
        if path.contains("\n") || path.contains("\r") || path.contains("\0") {
            throw .deadmanCheck("the path \(path.debugDescription) has a line break, which no crontab line can carry")
        }
        let word = "'" + path.replacingOccurrences(of: "'", with: #"'\''"#) + "'"
        return word.replacingOccurrences(of: "%", with: #"\%"#)
    }
}

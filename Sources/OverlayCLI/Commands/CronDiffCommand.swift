import ArgumentParser
import Foundation
import OverlayCore
import OverlayEngine
import OverlayRuntime

/// `overlay cron diff`: show drift between the host's declared cron jobs and its managed crontab block.
struct CronDiffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "Show drift between declared and installed cron entries.",
        discussion: "Exit 0 when the host's managed block matches its declared jobs, 1 when it drifted.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var scope: HostOptions

    func run() throws {
        try global.requireTextOrJSON()
        let found: CronDriftReport
        do { found = try global.engine.cronDrift(source: scope.inventory.source(global), host: scope.host) } catch {
            let host = error.host ?? scope.host
            throw FailureOutput.report(error, format: global.format, fields: [("host", host.map(Value.string) ?? .null)])
        }
        report(found.drift, host: found.host, target: found.target, jobs: found.declared)
        if found.drift.hasDrift { throw ExitCode(1) }
    }

    private func report(_ drift: CrontabDrift, host: String, target: CrontabTarget, jobs: Int) {
        if global.format == .json {
            let names = { (list: [String]) in Value.array(list.map(Value.string)) }
            Output.line(
                JSONWriter.string(
                    .object([
                        ("ok", .bool(!drift.hasDrift)), ("host", .string(host)), ("target", .string(target.description)),
                        ("missing", names(drift.missing)), ("changed", names(drift.changed)), ("extra", names(drift.extra)),
                        ("stray", names(drift.strays)),
                    ])))
            return
        }
        let place = "host \(host), crontab \(target)"
        guard drift.hasDrift else {
            if !global.quiet { Output.line("\(place): no drift (\(jobs) job\(jobs == 1 ? "" : "s") installed as declared)") }
            return
        }
        Output.raw(drift.text)
        let counts = [
            (drift.missing.count, "missing"), (drift.changed.count, "changed"), (drift.extra.count, "extra"),
            (drift.strays.count, "stray line(s)"),
        ]
        let parts = counts.filter { $0.0 > 0 }.map { "\($0.0) \($0.1)" }
        Output.line("\(place): drift: " + parts.joined(separator: ", ") + "; run 'overlay apply' to install the declared jobs")
    }
}

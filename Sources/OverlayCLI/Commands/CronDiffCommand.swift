import ArgumentParser
import Foundation
import OverlayCore
import OverlayRuntime

/// `overlay cron diff`: show drift between the host's declared cron jobs and its managed crontab block.
struct CronDiffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "Show drift between declared and installed cron entries.",
        discussion: "Exit 0 when the managed block matches the declared jobs, 1 when it drifted.")

    @OptionGroup var global: GlobalOptions

    @Option(help: "The inventory host (default: the host named like this machine, else the only one).")
    var host: String?

    @Option(name: [.customShort("i"), .customLong("inventory")], help: "The inventory file (default: inventory/hosts.yml).")
    var inventory: String?

    func run() throws {
        try global.requireTextOrJSON()
        let context = ValidationContext(repo: LoadedRepo(root: global.rootURL))
        let inventory = try HostChoice.inventory(context, option: inventory, root: global.rootURL)
        guard let renderer = GoldenStateRenderer(context: context) else {
            throw CommandFailure(description: "the repo has no playbooks/site.yaml, so no cron jobs are declared")
        }
        let name = try HostChoice.host(option: host, inventory: inventory, candidates: renderer.targetHosts)
        let vars = inventory.vars(for: name)
        let state: RenderedState
        do {
            state = try renderer.render(host: name, environment: .local(hostVars: vars))
        } catch {
            throw CommandFailure(description: "cannot render the golden state of host '\(name)':\n\(error.description)")
        }
        let environment = ProcessInfo.processInfo.environment
        let drift: CrontabDrift
        let target: CrontabTarget
        do {
            target = try CrontabTarget.resolve(hostVars: vars, environment: environment)
            drift = try ManagedCrontab(target: target).diff(jobs: state.cronJobs, host: name)
        } catch {
            throw CommandFailure(description: error.description)
        }
        report(drift, host: name, target: target, jobs: state.cronJobs.count)
        if drift.hasDrift { throw ExitCode(1) }
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
        var parts: [String] = []
        for (count, word) in [(drift.missing.count, "missing"), (drift.changed.count, "changed"), (drift.extra.count, "extra"),
                              (drift.strays.count, "stray line(s)")] where count > 0 {
            parts.append("\(count) \(word)")
        }
        Output.line("\(place): drift: " + parts.joined(separator: ", ") + "; run 'overlay apply' to install the declared jobs")
    }
}

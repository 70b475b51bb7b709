import ArgumentParser
import Foundation
import OverlayCore
import OverlayRuntime

/// `overlay cron diff`: show drift between the host's declared cron jobs and its managed crontab block.
struct CronDiffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "Show drift between declared and installed cron entries.",
        discussion: "Exit 0 when the host's managed block matches its declared jobs, 1 when it drifted.")

    @OptionGroup var global: GlobalOptions

    @Option(help: "The inventory host (default: the host named like this machine, else the only one).")
    var host: String?

    @Option(name: [.customShort("i"), .customLong("inventory")], help: "The inventory file (default: inventory/hosts.yml).")
    var inventory: String?

    func run() throws {
        try global.requireTextOrJSON()
        let context: ValidationContext
        do { context = try HostSelection.context(root: global.rootURL, inventory: inventory) } catch let failure as CommandFailure {
            throw fail(host: host, failure.description)
        }
        if let problems = context.externalInventoryProblems, problems.errorCount > 0 {
            throw fail(host: host, problems.filter { $0.severity == .error }.map(\.description).joined(separator: "\n"))
        }
        guard let inventory = context.inventory else {
            throw fail(host: host, "no inventory: add \(Inventory.defaultPath) to the repo")
        }
        guard let renderer = GoldenStateRenderer(context: context) else {
            throw fail(host: host, "the repo has no playbooks/site.yaml, so no cron jobs are declared")
        }
        let name = try HostSelection.select(requested: host, inventory: inventory, candidates: renderer.targetHosts)
        let vars = inventory.vars(for: name)
        let state: RenderedState
        do {
            state = try renderer.render(host: name, environment: .local(hostVars: vars))
        } catch {
            throw fail(host: name, "cannot render the golden state of host '\(name)':\n\(error.description)")
        }
        let target: CrontabTarget
        let drift: CrontabDrift
        do {
            target = try CrontabTarget.resolve(hostVars: vars, environment: ProcessInfo.processInfo.environment)
            drift = try ManagedCrontab(target: target).diff(jobs: state.cronJobs, host: name)
        } catch {
            throw fail(host: name, error.description)
        }
        report(drift, host: name, target: target, jobs: state.cronJobs.count)
        if drift.hasDrift { throw ExitCode(1) }
    }

    /// The failure to throw; in JSON mode it is also printed as the one JSON object.
    private func fail(host: String?, _ message: String) -> CommandFailure {
        if global.format == .json {
            Output.line(
                JSONWriter.string(.object([("ok", .bool(false)), ("host", host.map(Value.string) ?? .null), ("error", .string(message))])))
        }
        return CommandFailure(description: message)
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

import ArgumentParser
import Foundation
import OverlayCore
import OverlayRuntime

/// `overlay converge`: converge fleet hosts from the inventory, locally or over SSH.
struct ConvergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "converge",
        abstract: "Converge fleet hosts from the inventory, locally or over SSH.")

    @OptionGroup var global: GlobalOptions

    @Option(
        name: [.customShort("i"), .customLong("inventory")], help: "The inventory file (default: the repo's inventory/hosts.yml).")
    var inventory: String?

    @Option(help: "Only hosts matching this Ansible pattern (names, groups, a:b, a:&b, a:!b, globs).")
    var limit: String?

    @Flag(help: "Change nothing; report what would change.")
    var check = false

    @Flag(help: "Show unified diffs of changed files (secrets redacted).")
    var diff = false

    @Option(help: "Hosts converged at once.")
    var forks = 5

    @Option(help: "Hosts per batch of a rolling update (default: all at once).")
    var serial: Int?

    @Option(help: "Stop the rolling update after a batch in which more than this percentage of hosts failed.")
    var maxFailPercentage: Double?

    @Option(help: "Seconds each host's apply waits for its state lock.")
    var lockTimeout: Double = 60

    func validate() throws {
        if forks < 1 { throw ValidationError("--forks must be at least 1") }
        if let serial, serial < 1 { throw ValidationError("--serial must be at least 1") }
        if let p = maxFailPercentage, !(0...100).contains(p) {
            throw ValidationError("--max-fail-percentage must be between 0 and 100")
        }
        if lockTimeout < 0 { throw ValidationError("--lock-timeout must not be negative") }
    }

    func run() throws {
        try global.requireTextOrJSON()
        let plan: FleetPlan
        do { plan = try FleetPlan.make(root: global.rootURL, inventory: inventory, limit: limit) } catch let failure
            as CommandFailure
        {
            // JSON callers get their one object on stdout for every failure.
            if global.format == .json { Output.raw(ConvergeOutput.json([], check: check, error: failure.description)) }
            throw failure
        }
        if !plan.repoErrors.isEmpty {
            let message = "validation failed: \(plan.repoErrors.count) error(s) not tied to one host; no host was touched"
            if global.format == .json {
                Output.raw(ConvergeOutput.json([], check: check, error: message, diagnostics: plan.repoErrors))
            } else {
                for d in plan.repoErrors { Output.line(d.description) }
                Output.error(message)
            }
            throw ExitCode(1)
        }
        let environment = ProcessInfo.processInfo.environment
        let controlDir = try Self.controlDir()
        defer { try? FileManager.default.removeItem(atPath: controlDir) }
        let root = global.rootURL.path
        let commit = ComputedOnce { SourceCommit.describe(root: root) }
        let settings = ConvergeSettings(
            check: check, diff: diff, lockTimeout: lockTimeout, controlDir: controlDir, describeCommit: { commit.get() })
        let run = ConvergeRun(
            plan: plan, settings: settings, forks: forks, serial: serial, maxFailPercentage: maxFailPercentage,
            environment: environment)
        let outcomes = run.run()
        SSHMasters.close(plan: plan, controlDir: controlDir, environment: environment)
        if global.format == .json {
            Output.raw(ConvergeOutput.json(outcomes, check: check))
        } else {
            Output.raw(ConvergeOutput.text(outcomes, check: check, quiet: global.quiet))
        }
        if outcomes.contains(where: { $0.status != .ok && $0.status != .changed }) { throw ExitCode(1) }
    }

    /// A new private folder for the SSH control sockets of this run (`mkdtemp`: nobody else
    /// can have planted a socket in it; short, because socket paths are limited).
    static func controlDir() throws -> String {
        var template = Array("/tmp/overlay-ssh-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else {
            throw CommandFailure(description: "cannot create a folder in /tmp for SSH connections: \(String(cString: strerror(errno)))")
        }
        return String(cString: made)
    }
}

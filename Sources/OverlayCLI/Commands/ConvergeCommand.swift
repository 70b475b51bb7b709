import ArgumentParser
import Foundation
import OverlayCore
import OverlayEngine

/// `overlay converge`: converge fleet hosts from the inventory, locally or over SSH.
struct ConvergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "converge",
        abstract: "Converge fleet hosts from the inventory, locally or over SSH.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var inventory: InventoryOption

    @Option(help: "Only hosts matching this Ansible pattern (names, groups, a:b, a:&b, a:!b, globs).")
    var limit: String?

    @Flag(help: "Change nothing; report what would change.")
    var check = false

    @Flag(help: "Show unified diffs of changed files (secrets redacted).")
    var diff = false

    @Option(help: "Hosts converged at once.")
    var forks = 5

    @Option(help: "Batches of a rolling update: a host count, a percentage (30%) or a growing list (1,10%,50%); default: all at once.")
    var serial: String?

    @Option(help: "Stop the rolling update after a batch in which more than this percentage of hosts failed.")
    var maxFailPercentage: Double?

    @Option(help: "Seconds each host's apply waits for its state lock.")
    var lockTimeout: Double = 60

    @Option(help: "How long one SSH host's apply may take (30s, 5m, 1h; default 30m).")
    var hostTimeout = "30m"

    func validate() throws {
        if forks < 1 { throw ValidationError("--forks must be at least 1") }
        if let serial { _ = try Self.batches(serial) }
        guard (DurationParser.seconds(hostTimeout) ?? 0) > 0 else {
            throw ValidationError("--host-timeout '\(hostTimeout)' is not a duration: write \(DurationParser.expected), above 0")
        }
        if let p = maxFailPercentage, !(0...100).contains(p) {
            throw ValidationError("--max-fail-percentage must be between 0 and 100")
        }
        if !lockTimeout.isFinite || lockTimeout < 0 {
            throw ValidationError("--lock-timeout must be a number of seconds, 0 or more (got \(lockTimeout))")
        }
    }

    func run() throws {
        try global.requireTextOrJSON()
        let engine = global.engine
        let failureFields = ConvergeOutput.failureFields(check: check)
        let plan: FleetPlan
        do { plan = try engine.planConverge(inventory.source(global), limit: limit) } catch {
            throw FailureOutput.report(error, format: global.format, fields: failureFields)
        }
        if !plan.repoErrors.isEmpty {
            let failure = CommandFailure(
                description: "validation failed: \(plan.repoErrors.count) error(s) not tied to one host; no host was touched")
            throw FailureOutput.report(failure, format: global.format, fields: failureFields, diagnostics: plan.repoErrors)
        }
        var options = ConvergeOptions(
            check: check, diff: diff, forks: forks, serial: try serial.map(Self.batches) ?? .all,
            maxFailPercentage: maxFailPercentage, lockTimeout: lockTimeout,
            hostTimeout: .seconds(DurationParser.seconds(hostTimeout) ?? 1800))
        let interrupt = ConvergeInterrupt()
        options.interrupt = interrupt
        let signals = SignalWatch.start(
            { signal in
                interrupt.request(signal.name)
                Output.log("overlay: \(signal.name): no new host starts; hosts in flight finish (\(signal.name) again stops at once)")
            }, onAgain: { interrupt.stopNow() })
        defer { signals.stop() }
        let outcomes: [HostOutcome]
        do { outcomes = try engine.converge(plan, options: options) } catch {
            throw FailureOutput.report(error, format: global.format, fields: failureFields)
        }
        if global.format == .json {
            Output.raw(ConvergeOutput.json(outcomes, check: check, interrupted: interrupt.requested))
        } else {
            Output.raw(ConvergeOutput.text(outcomes, check: check, diff: diff, quiet: global.quiet))
            if let signal = interrupt.requested { Output.line("interrupted by \(signal): hosts marked not_started were not touched") }
        }
        // 128 + the signal, as a shell reports a command a signal stopped (130 for SIGINT).
        if let signal = interrupt.requested { throw ExitCode(signal == "SIGTERM" ? 143 : 130) }
        if !outcomes.allSatisfy(\.converged) { throw ExitCode(1) }
    }

    /// `--serial` parsed; a bad entry is a usage error naming it.
    static func batches(_ text: String) throws -> SerialBatches {
        do { return try SerialBatches(parsing: text) } catch { throw ValidationError(error.description) }
    }
}

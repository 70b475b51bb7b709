import ArgumentParser
import Foundation
import OverlayCore
import OverlayRuntime

/// The flags `apply` and `diff` share.
struct ApplyTargetOptions: ParsableArguments {
    @Option(help: "The inventory host to apply for (default: this machine's host).")
    var host: String?

    @Option(name: .customShort("i"), help: "The inventory file (default: the repo's inventory/hosts.yml).")
    var inventory: String?

    @Option(help: "Apply a pre-rendered bundle (JSON, '-' for stdin) instead of rendering the repo.")
    var bundle: String?

    @Flag(help: "Replace managed paths that were replaced by unmanaged files (they are backed up first).")
    var force = false
}

/// Runs apply (or its dry run) and prints the result; maps failures to SPEC exit codes.
struct ApplyRun {
    var global: GlobalOptions
    var target: ApplyTargetOptions
    var options: ApplyOptions
    var diff: Bool

    func run() throws {
        try global.requireTextOrJSON()
        let source = GoldenStateSource(
            root: global.rootURL, host: target.host, inventoryPath: target.inventory, bundle: target.bundle)
        let loaded: GoldenStateSource.Loaded
        do { loaded = try source.load() } catch let rejected as GoldenStateSource.Rejected {
            let message = "validation failed: \(rejected.diagnostics.count) error(s); nothing was changed"
            if global.format == .json {
                Output.raw(ApplyOutput.failureJSON(host: rejected.host, error: message, diagnostics: rejected.diagnostics))
            } else {
                for d in rejected.diagnostics { Output.line(d.description) }
                Output.error(message)
            }
            throw ExitCode(1)
        } catch let failure as CommandFailure {
            try fail(host: target.host, failure)
        }
        let cronStep: CrontabStep
        do {
            cronStep = try CrontabStep(state: loaded.state, hostVars: loaded.hostVars, environment: source.environment)
        } catch let failure as CommandFailure {
            try fail(
                host: loaded.state.host, CommandFailure(description: failure.description + "; nothing was changed"),
                state: loaded.stateDir)
        }
        var opts = options
        opts.commit = opts.commit ?? loaded.commit
        opts.describeCommit = opts.describeCommit ?? loaded.describeCommit
        opts.crontabTarget = cronStep.crontab.target.description
        let report: ApplyReport
        var installed: CrontabStep.Outcome?
        do {
            // The crontab is installed while the state lock is held, so that a concurrent run
            // cannot leave this generation's jobs installed after a newer generation went live.
            report = try ApplyExecutor(state: loaded.stateDir).apply(loaded.state, options: opts) { _ in
                installed = cronStep.run(dryRun: opts.dryRun)
            }
        } catch {
            try fail(host: loaded.state.host, ApplyRun.failure(error, nothingChanged: true), state: loaded.stateDir)
        }
        // The executor always calls back; the fallback only keeps the step from being skipped silently.
        let cron = installed ?? cronStep.run(dryRun: opts.dryRun)
        for path in report.cleaned { Output.log("cleaned up after an interrupted run: \(path)") }
        for h in report.handlers {
            Output.log("handler \(h.name): exit \(h.exitCode) (log: \(h.logPath))")
            if !h.succeeded && !h.tail.isEmpty { Output.log(h.tail) }
        }
        let unplaced = report.afterSwitchFailure?.description
        let ok = report.handlersSucceeded && cron.error == nil && unplaced == nil
        if global.format == .json {
            Output.raw(ApplyOutput.json(report, ok: ok, diff: diff, cron: cron.json, error: unplaced))
        } else {
            Output.raw(ApplyOutput.text(report, diff: diff, dryRun: opts.dryRun, quiet: global.quiet, verbose: global.verbose))
            if let line = cron.text, !global.quiet || cron.error != nil { Output.line(line) }
        }
        if ok { return }
        if let unplaced { Output.error(unplaced) }
        if let error = cron.error { Output.error("crontab not installed: \(error); the file switch stands") }
        if !report.handlersSucceeded {
            let names = report.handlers.filter { !$0.succeeded }.map(\.name).joined(separator: ", ")
            Output.error(
                "handler(s) failed: \(names); the switch stands: generation \(report.generation.map(String.init) ?? "-") stays live")
        }
        throw ExitCode(1)
    }

    /// Prints the failure (JSON: with the generation that stays live, when the state dir is known).
    private func fail(host: String?, _ failure: CommandFailure, state: StateDirectory? = nil) throws -> Never {
        if global.format == .json {
            let live = state.flatMap { GenerationStore(state: $0).currentNumber() }
            Output.raw(ApplyOutput.failureJSON(host: host, error: failure.description, generation: live))
        }
        if global.format == .json { throw ExitCode(failure.exitCode) }
        throw failure
    }

    /// An apply error as a CLI failure (lock timeout → 75).
    static func failure(_ error: ApplyError, nothingChanged: Bool) -> CommandFailure {
        switch error {
        case .lockTimeout: return CommandFailure(description: error.description, exitCode: 75)
        case .io:
            return CommandFailure(description: error.description + "; the previous generation stays live")
        default:
            return CommandFailure(description: error.description + (nothingChanged ? "; nothing was changed" : ""))
        }
    }
}

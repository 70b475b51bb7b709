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
        let finished: HostApply.Finished
        do {
            finished = try HostApply(loaded: loaded, environment: source.environment, options: options).run()
        } catch {
            try fail(host: loaded.state.host, error, state: loaded.stateDir)
        }
        let (report, cron) = (finished.report, finished.cron)
        if let time = source.environment[ConvergeRecord.environmentVariable], !options.dryRun {
            // Started by a converge over SSH: `overlay status` here shows it as the last one.
            let status = !finished.ok ? "failed" : finished.changed ? "changed" : "ok"
            let live = report.generation ?? GenerationStore(state: loaded.stateDir).currentNumber()
            ConvergeRecord(time: time, status: status, generation: live).save(loaded.stateDir)
        }
        for path in report.cleaned { Output.log("cleaned up after an interrupted run: \(path)") }
        for h in report.handlers {
            Output.log("handler \(h.name): exit \(h.exitCode) (log: \(h.logPath))")
            if !h.succeeded && !h.tail.isEmpty { Output.log(h.tail) }
        }
        if global.format == .json {
            let error = report.afterSwitchFailure?.description
            Output.raw(ApplyOutput.json(report, ok: finished.ok, diff: diff, cron: cron.json, error: error))
        } else {
            Output.raw(
                ApplyOutput.text(report, diff: diff, dryRun: options.dryRun, quiet: global.quiet, verbose: global.verbose))
            if let line = cron.text, !global.quiet || cron.error != nil { Output.line(line) }
        }
        if finished.ok { return }
        for problem in finished.problems { Output.error(problem) }
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

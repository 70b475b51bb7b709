import ArgumentParser
import Foundation
import OverlayCore
import OverlayEngine
import OverlayRuntime

/// Runs apply (or its dry run) through the engine and prints the result.
struct ApplyRun {
    var global: GlobalOptions
    var target: ApplyTargetOptions
    var options: ApplyOptions
    var diff: Bool

    func run() throws {
        try global.requireTextOrJSON()
        let engine = global.engine
        let loaded: LoadedTarget
        do { loaded = try engine.load(target.source(global), host: target.scope.host) } catch {
            var host = target.scope.host
            var diagnostics: [Diagnostic] = []
            if case .rejected(let rejectedHost, let found) = error { (host, diagnostics) = (rejectedHost, found) }
            throw FailureOutput.report(
                error, format: global.format, fields: ApplyOutput.failureFields(host: host), diagnostics: diagnostics)
        }
        let result: HostApplyResult
        do { result = try engine.apply(loaded, options: options) } catch {
            let live = GenerationStore(state: loaded.stateDir).currentNumber()
            throw FailureOutput.report(
                error, format: global.format, fields: ApplyOutput.failureFields(host: loaded.state.host, generation: live))
        }
        let report = result.report
        if let time = engine.environment.variables[ConvergeRecord.environmentVariable], !options.dryRun {
            // Started by a converge over SSH: `overlay status` here shows it as the last one.
            let status = !result.ok ? "failed" : result.changed ? "changed" : "ok"
            ConvergeRecord(time: time, status: status, generation: result.liveGeneration).save(loaded.stateDir)
        }
        for path in report.cleaned { Output.log("cleaned up after an interrupted run: \(path)") }
        ApplyOutput.logHandlers(report)
        let seeds = result.createOnly?.items ?? []  // create-only files
        let warnings = result.notes + (result.createOnly?.warnings ?? [])
        if global.format == .json {
            let error = report.afterSwitchFailure?.description
            let jobs = result.agentJobs.map { [("agent_jobs", $0.json(diff: diff))] } ?? []  // agent jobs
            Output.raw(
                ApplyOutput.json(
                    report, ok: result.ok, diff: diff, cron: result.cron.json, extra: jobs, error: error, seeds: seeds, warnings: warnings))
        } else {
            for warning in warnings { Output.log("warning: \(warning)") }
            Output.raw(
                ApplyOutput.text(
                    report, diff: diff, dryRun: options.dryRun, quiet: global.quiet, verbose: global.verbose, seeds: seeds))
            if let line = result.cron.text, !global.quiet || result.cron.error != nil { Output.line(line) }
            if let text = result.agentJobs?.text(diff: diff), !global.quiet { Output.raw(text) }  // agent jobs
        }
        if result.ok { return }
        for problem in result.problems { Output.error(problem) }
        throw ExitCode(1)
    }
}

import Foundation
import OverlayCore
import OverlayRuntime

/// Converges a host whose connection is `local`: rendered and applied in this process, into
/// its `overlay_home` with its `overlay_state_dir`.
struct LocalHostConverge {
    var host: String
    var vars: Value
    var renderer: GoldenStateRenderer
    var environment: [String: String]
    var stateDir: StateDirectory
    var settings: ConvergeSettings

    func run() -> HostOutcome {
        let renderEnvironment = RenderEnvironment.local(hostVars: vars, processEnvironment: environment)
        let state: RenderedState
        do { state = try renderer.render(host: host, environment: renderEnvironment) } catch {
            return .failed(host, "render failed:\n" + error.diagnostics.map(\.description).joined(separator: "\n"))
        }
        let describe = settings.describeCommit
        let loaded = GoldenStateSource.Loaded(
            state: state, stateDir: stateDir, commit: nil, describeCommit: { describe() }, hostVars: vars)
        let options = ApplyOptions(dryRun: settings.check, lockTimeout: settings.lockTimeout)
        let finished: HostApply.Finished
        do { finished = try HostApply(loaded: loaded, environment: environment, options: options).run() } catch {
            return .failed(host, error.description, generation: GenerationStore(state: stateDir).currentNumber())
        }
        var details = ApplyOutput.text(finished.report, diff: settings.diff, dryRun: settings.check, quiet: false)
        if let line = finished.cron.text { details += line + "\n" }
        let live = finished.report.generation ?? GenerationStore(state: stateDir).currentNumber()
        var outcome = HostOutcome(host: host, status: finished.changed ? .changed : .ok, generation: live, details: details)
        if !finished.ok {
            outcome.status = .failed
            outcome.error = finished.problems.joined(separator: "; ")
        }
        if !settings.check {
            ConvergeRecord(time: settings.startedAt, status: outcome.status.rawValue, generation: live).save(stateDir)
        }
        return outcome
    }
}

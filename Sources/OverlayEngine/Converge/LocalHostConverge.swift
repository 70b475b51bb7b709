import Foundation
import OverlayCore
import OverlayRuntime

/// Converges a host whose connection is `local`: rendered and applied in this process, into
/// its `overlay_home` with its `overlay_state_dir`.
struct LocalHostConverge {
    var host: String
    var vars: Value
    var renderer: GoldenStateRenderer
    var environment: EngineEnvironment
    var stateDir: StateDirectory
    var settings: ConvergeSettings

    /// Renders and applies the host; with `crontabs`, a shared crontab's step waits for the
    /// batch and the outcome is `finish`ed after it.
    func run(crontabs: CrontabBatch? = nil) -> HostOutcome {
        var renderEnvironment = RenderEnvironment.local(hostVars: vars, processEnvironment: environment.variables)
        renderEnvironment.stateDir = stateDir.path
        renderEnvironment.managedDir = RenderEnvironment.managedDirOverride(environment.variables)
        let state: RenderedState
        do { state = try renderer.render(host: host, environment: renderEnvironment) } catch {
            return .failed(host, "render failed:\n" + error.diagnostics.map(\.description).joined(separator: "\n"))
        }
        let describe = settings.describeCommit
        let target = LoadedTarget(state: state, stateDir: stateDir, describeCommit: { describe() }, hostVars: vars)
        let options = ApplyOptions(dryRun: settings.check, lockTimeout: settings.lockTimeout)
        let result: HostApplyResult
        do {
            result = try HostApply(target: target, environment: environment, options: options, crontabBatch: crontabs).run()
        } catch {
            return .failed(host, error.description, generation: GenerationStore(state: stateDir).currentNumber())
        }
        if result.cronDeferred { return HostOutcome(host: host, status: .ok, generation: result.liveGeneration, detail: .local(result)) }
        return Self.finish(result, settings: settings)
    }

    /// The host's outcome once its crontab step is done, recorded in its state dir.
    static func finish(_ result: HostApplyResult, settings: ConvergeSettings) -> HostOutcome {
        var result = result
        result.cronDeferred = false
        let live = result.liveGeneration
        var outcome = HostOutcome(host: result.host, status: result.changed ? .changed : .ok, generation: live, detail: .local(result))
        if !result.ok {
            outcome.status = .failed
            outcome.error = result.problems.joined(separator: "; ")
        }
        if !settings.check {
            ConvergeRecord(time: settings.startedAt, status: outcome.status.rawValue, generation: live).save(result.stateDir)
        }
        return outcome
    }
}

import Foundation
import OverlayCore
import OverlayRuntime

/// The last step of apply: install the host's cron jobs into its managed crontab block.
///
/// The target is resolved and opened before anything is switched (a bad `overlay_crontab`,
/// a missing folder or a missing `crontab` command refuses the whole apply); the install
/// runs after the switch and, in a dry run, only reports. A rollback reinstalls the jobs
/// recorded with the generation it made live (`reinstall`).
struct CrontabStep {
    var host: String
    var jobs: [RenderedCronJob]
    let crontab: ManagedCrontab

    /// Resolves the target (host var `overlay_crontab`, else `$OVERLAY_CRONTAB`, else `user`)
    /// and checks it can be written, before anything changes.
    init(state: RenderedState, hostVars: Value?, environment: [String: String]) throws(CrontabSetupError) {
        let target: CrontabTarget
        do { target = try CrontabTarget.resolve(hostVars: hostVars, environment: environment) } catch {
            throw .target(error.description)
        }
        try self.init(target: target, host: state.host, jobs: state.cronJobs)
    }

    /// Installs `jobs` as `host`'s block of `target` (rollback: the target recorded with a generation).
    init(target: CrontabTarget, host: String, jobs: [RenderedCronJob]) throws(CrontabSetupError) {
        self.host = host
        self.jobs = jobs
        if case .file(let path) = target {
            let folder = (path as NSString).deletingLastPathComponent
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDir), isDir.boolValue else {
                throw .missingFolder(path: path, folder: folder)
            }
        }
        do { crontab = try ManagedCrontab(target: target) } catch { throw .target(error.description) }
    }

    /// Reinstalls the cron jobs recorded with a generation (after a rollback made it live).
    /// A target that cannot be opened any more is reported as the outcome's error.
    static func reinstall(_ cron: Generation.Cron, host: String) -> CrontabOutcome {
        do {
            let target = try CrontabTarget(parsing: cron.target)
            return try CrontabStep(target: target, host: host, jobs: cron.renderedJobs).run(dryRun: false)
        } catch {
            return CrontabOutcome(target: cron.target, change: nil, error: String(describing: error), dryRun: false)
        }
    }

    func run(dryRun: Bool) -> CrontabOutcome {
        do {
            let change = try crontab.install(jobs: jobs, host: host, dryRun: dryRun)
            return CrontabOutcome(target: crontab.target.description, change: change, error: nil, dryRun: dryRun)
        } catch {
            return CrontabOutcome(target: crontab.target.description, change: nil, error: error.description, dryRun: dryRun)
        }
    }
}

/// What the crontab step of an apply or rollback did.
public struct CrontabOutcome: Sendable {
    /// The crontab (`user` or `file:PATH`).
    public var target: String
    /// The jobs added, updated, removed; nil when the step failed.
    public var change: CrontabChange?
    /// Why the step failed, when it did (the file switch stands).
    public var error: String?
    /// True when nothing was written (a dry run).
    public var dryRun: Bool
}

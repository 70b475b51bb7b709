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

    /// The outcome, for output.
    struct Outcome {
        var target: String
        var change: CrontabChange?
        var error: String?
        var dryRun: Bool
    }

    /// Resolves the target (host var `overlay_crontab`, else `$OVERLAY_CRONTAB`, else `user`)
    /// and checks it can be written, before anything changes.
    init(state: RenderedState, hostVars: Value?, environment: [String: String]) throws {
        let target: CrontabTarget
        do { target = try CrontabTarget.resolve(hostVars: hostVars, environment: environment) } catch {
            throw CommandFailure(description: "crontab: \(error.description)")
        }
        try self.init(target: target, host: state.host, jobs: state.cronJobs)
    }

    /// Installs `jobs` as `host`'s block of `target` (rollback: the target recorded with a generation).
    init(target: CrontabTarget, host: String, jobs: [RenderedCronJob]) throws {
        self.host = host
        self.jobs = jobs
        if case .file(let path) = target {
            let folder = (path as NSString).deletingLastPathComponent
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDir), isDir.boolValue else {
                throw CommandFailure(
                    description:
                        "crontab target file:\(path): the folder \(folder) does not exist; create it or set overlay_crontab / OVERLAY_CRONTAB"
                )
            }
        }
        do { crontab = try ManagedCrontab(target: target) } catch { throw CommandFailure(description: "crontab: \(error.description)") }
    }

    /// Reinstalls the cron jobs recorded with a generation (after a rollback made it live).
    /// A target that cannot be opened any more is reported as the outcome's error.
    static func reinstall(_ cron: Generation.Cron, host: String) -> Outcome {
        do {
            let target = try CrontabTarget(parsing: cron.target)
            return try CrontabStep(target: target, host: host, jobs: cron.renderedJobs).run(dryRun: false)
        } catch {
            return Outcome(target: cron.target, change: nil, error: String(describing: error), dryRun: false)
        }
    }

    func run(dryRun: Bool) -> Outcome {
        do {
            let change = try crontab.install(jobs: jobs, host: host, dryRun: dryRun)
            return Outcome(target: crontab.target.description, change: change, error: nil, dryRun: dryRun)
        } catch {
            return Outcome(target: crontab.target.description, change: nil, error: error.description, dryRun: dryRun)
        }
    }
}

extension CrontabStep.Outcome {
    /// The `cron` member of apply's JSON.
    var json: Value {
        var pairs: [(String, Value)] = [("target", .string(target))]
        if let change {
            pairs += [
                ("added", .array(change.added.map(Value.string))), ("updated", .array(change.updated.map(Value.string))),
                ("removed", .array(change.removed.map(Value.string))), ("unchanged", .int(change.unchanged.count)),
                ("written", .bool(change.written)),
            ]
        }
        if let error { pairs.append(("error", .string(error))) }
        return .object(pairs)
    }

    /// One line for the text output, nil when nothing changed.
    var text: String? {
        if let error { return "crontab \(target): \(error)" }
        guard let change, change.changedJobs else { return nil }
        var parts: [String] = []
        let verb = dryRun ? ["would add", "would update", "would remove"] : ["added", "updated", "removed"]
        if !change.added.isEmpty { parts.append("\(verb[0]) \(change.added.joined(separator: ", "))") }
        if !change.updated.isEmpty { parts.append("\(verb[1]) \(change.updated.joined(separator: ", "))") }
        if !change.removed.isEmpty { parts.append("\(verb[2]) \(change.removed.joined(separator: ", "))") }
        return "crontab \(target): " + parts.joined(separator: "; ")
    }
}

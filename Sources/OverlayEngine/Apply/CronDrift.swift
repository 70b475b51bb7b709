import OverlayCore
import OverlayRuntime

/// The drift between a host's declared cron jobs and its managed crontab block (`overlay cron diff`).
public struct CronDriftReport: Sendable {
    /// The host compared.
    public var host: String
    /// Its crontab.
    public var target: CrontabTarget
    /// Missing, changed and extra jobs, stray lines.
    public var drift: CrontabDrift
    /// How many jobs the host declares.
    public var declared: Int
}

/// Why cron drift cannot be computed.
public enum CronDriftError: Error, Sendable, CustomStringConvertible {
    /// The inventory, host or golden state is not usable.
    case source(SourceError)
    /// The crontab cannot be read.
    case crontab(host: String, CrontabError)

    public var description: String {
        switch self {
        case .source(let error): return error.description
        case .crontab(_, let error): return error.description
        }
    }

    /// The host concerned, when known.
    public var host: String? {
        switch self {
        case .source(.rejected(let host, _)): return host
        case .source(.renderFailed(let host, _)): return host
        case .source: return nil
        case .crontab(let host, _): return host
        }
    }
}

extension Engine {
    /// Compares `host`'s declared cron jobs (rendered from the repo) with its installed block.
    public func cronDrift(source: RepoSource, host requested: String?) throws(CronDriftError) -> CronDriftReport {
        let declared: (host: String, vars: Value, state: RenderedState)
        do { declared = try declaredJobs(source: source, host: requested) } catch { throw .source(error) }
        do {
            let target = try CrontabTarget.resolve(hostVars: declared.vars, environment: environment.variables)
            let drift = try ManagedCrontab(target: target).diff(jobs: declared.state.cronJobs, host: declared.host)
            return CronDriftReport(host: declared.host, target: target, drift: drift, declared: declared.state.cronJobs.count)
        } catch {
            throw .crontab(host: declared.host, error)
        }
    }

    /// The host's golden state rendered for this machine (its cron jobs are what is compared).
    private func declaredJobs(
        source: RepoSource, host requested: String?
    ) throws(SourceError) -> (
        host: String, vars: Value, state: RenderedState
    ) {
        let context = try source.context()
        if let problems = context.externalInventoryProblems, problems.errorCount > 0 {
            throw .inventoryBroken(problems: problems.filter { $0.severity == .error })
        }
        guard let inventory = context.inventory else { throw .noInventory(purpose: .cron) }
        guard let renderer = GoldenStateRenderer(context: context) else { throw .noGoldenState(purpose: .cron) }
        let name = try HostSelection.select(
            requested: requested, inventory: inventory, candidates: renderer.targetHosts, hostName: environment.hostName)
        let vars = inventory.vars(for: name)
        let renderEnvironment = RenderEnvironment.local(hostVars: vars, processEnvironment: environment.variables)
        let state: RenderedState
        do { state = try renderer.render(host: name, environment: renderEnvironment) } catch {
            throw .renderFailed(host: name, diagnostics: error.diagnostics)
        }
        // Apply adds the deadman check to the declared jobs; so does the comparison (an apply
        // would refuse a check that cannot be installed, and report why).
        let stateDir = StateLocation.forHost(vars: vars, environment: environment)
        let withCheck = try? DeadmanCronJob.adding(to: state, stateDir: stateDir, executable: environment.executablePath)
        return (name, vars, withCheck ?? state)
    }
}

import Foundation
import OverlayCore
import OverlayRuntime

/// Where apply's target state comes from: the repo (validated in full, then rendered for one
/// host) or a bundle rendered elsewhere (`apply --bundle`, the SSH leg of converge).
public enum GoldenStateSource: Sendable {
    /// The overlay repo; `commit` is recorded as the generation's commit when known (a pull).
    case repo(RepoSource, commit: String? = nil)
    /// A bundle file, or `-` for standard input.
    case bundle(String)

    /// Loads the target for `host` (nil: the host this machine is, SPEC §3.2).
    public func load(host: String?, environment: EngineEnvironment) throws(SourceError) -> LoadedTarget {
        switch self {
        case .bundle(let path):
            if let host { throw .bundleWithHost(host) }
            return try Self.loadBundle(path, environment: environment)
        case .repo(let source, let commit):
            return try Self.loadRepo(source, commit: commit, host: host, environment: environment)
        }
    }

    private static func loadBundle(_ path: String, environment: EngineEnvironment) throws(SourceError) -> LoadedTarget {
        let data: Data
        if path == "-" {
            data = environment.readStandardInput()
        } else {
            guard let read = FileManager.default.contents(atPath: path) else { throw .bundleUnreadable(path) }
            data = read
        }
        let decoded: (state: RenderedState, commit: String?)
        do { decoded = try RenderedBundle.decode(data) } catch { throw .bundleInvalid(error.description) }
        return LoadedTarget(state: decoded.state, stateDir: StateLocation.fromEnvironment(environment), commit: decoded.commit)
    }

    private static func loadRepo(
        _ source: RepoSource, commit: String?, host: String?, environment: EngineEnvironment
    ) throws(SourceError) -> LoadedTarget {
        let context = try source.context()
        let report = Validator().validate(context)
        if report.diagnostics.errorCount > 0 {
            throw .rejected(host: host, diagnostics: report.diagnostics.filter { $0.severity == .error })
        }
        guard let renderer = GoldenStateRenderer(context: context) else { throw .noGoldenState(purpose: .apply) }
        let name = try HostSelection.select(
            requested: host, inventory: context.inventory, candidates: renderer.targetHosts, hostName: environment.hostName)
        guard context.inventory == nil || renderer.targetHosts.contains(name) else {
            throw .hostNotTargeted(name, targets: renderer.targetHosts)
        }
        let vars = context.inventory?.vars(for: name) ?? .object([])
        let stateDir = StateLocation.forHost(vars: vars, environment: environment)
        var renderEnvironment = RenderEnvironment.local(hostVars: vars, processEnvironment: environment.variables)
        renderEnvironment.stateDir = stateDir.path
        renderEnvironment.managedDir = RenderEnvironment.managedDirOverride(environment.variables)
        let state: RenderedState
        do { state = try renderer.render(host: name, environment: renderEnvironment) } catch {
            throw .rejected(host: name, diagnostics: error.diagnostics)
        }
        let repoPath = source.root.path
        let describe: (@Sendable () -> String?)? = commit == nil ? { @Sendable in SourceCommit.describe(root: repoPath) } : nil
        return LoadedTarget(
            state: state, stateDir: stateDir, commit: commit,
            describeCommit: describe, hostVars: vars)
    }
}

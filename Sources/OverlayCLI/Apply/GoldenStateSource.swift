import Foundation
import OverlayCore
import OverlayRuntime

/// Where apply's target state comes from: the repo (validated, then rendered) or a pre-rendered bundle.
struct GoldenStateSource {
    /// The rendered target and what apply needs around it.
    struct Loaded {
        var state: RenderedState
        var stateDir: StateDirectory
        var commit: String?
        /// For a repo: describes its checkout when a generation is built.
        var describeCommit: (@Sendable () -> String?)? = nil
        /// The host's inventory variables (nil for a bundle), for the crontab target.
        var hostVars: Value? = nil
    }

    /// Why there is nothing to apply: validation or render diagnostics.
    struct Rejected: Error {
        var host: String?
        var diagnostics: [Diagnostic]
    }

    var root: URL
    var host: String?
    var inventoryPath: String?
    var bundle: String?
    var environment = ProcessInfo.processInfo.environment

    /// Loads the target: a bundle as-is, or the repo validated in full and rendered for one host.
    func load() throws -> Loaded {
        if let bundle {
            let data: Data
            if bundle == "-" {
                data = FileHandle.standardInput.readDataToEndOfFile()
            } else {
                guard let d = FileManager.default.contents(atPath: bundle) else {
                    throw CommandFailure(description: "cannot read the bundle \(bundle)")
                }
                data = d
            }
            let decoded: (state: RenderedState, commit: String?)
            do { decoded = try RenderedBundle.decode(data) } catch { throw CommandFailure(description: error.description) }
            return Loaded(state: decoded.state, stateDir: StateLocation.fromEnvironment(environment), commit: decoded.commit)
        }
        let context = try HostSelection.context(root: root, inventory: inventoryPath)
        let report = Validator().validate(context)
        if report.diagnostics.errorCount > 0 {
            throw Rejected(host: host, diagnostics: report.diagnostics.filter { $0.severity == .error })
        }
        guard let renderer = GoldenStateRenderer(context: context) else {
            throw CommandFailure(description: "\(GoldenStateFile.path) is missing: there is no golden state to apply")
        }
        let name = try HostSelection.select(requested: host, inventory: context.inventory, candidates: renderer.targetHosts)
        guard context.inventory == nil || renderer.targetHosts.contains(name) else {
            throw CommandFailure(
                description:
                    "host '\(name)' is not targeted by \(GoldenStateFile.path) (hosts: \(renderer.targetHosts.joined(separator: ", ")))")
        }
        let vars = context.inventory?.vars(for: name) ?? .object([])
        let renderEnvironment = RenderEnvironment.local(hostVars: vars, processEnvironment: environment)
        let state = try render(renderer, host: name, environment: renderEnvironment)
        let dir = StateLocation.forHost(vars: vars, environment: environment)
        let repoPath = root.path
        return Loaded(
            state: state, stateDir: dir, commit: nil, describeCommit: { SourceCommit.describe(root: repoPath) }, hostVars: vars)
    }

    /// The one call into the golden-state renderer.
    private func render(
        _ renderer: GoldenStateRenderer, host: String, environment: RenderEnvironment
    ) throws
        -> RenderedState
    {
        do { return try renderer.render(host: host, environment: environment) } catch {
            throw Rejected(host: host, diagnostics: error.diagnostics)
        }
    }
}

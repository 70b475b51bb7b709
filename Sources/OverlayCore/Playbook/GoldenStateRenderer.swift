import Foundation

/// Renders the golden state for one host: render → (later) plan → apply.
///
/// Validation and apply share this code: validation renders every targeted host
/// with a stand-in environment and reports the diagnostics; apply renders the one
/// host it runs for and refuses on any error.
public struct GoldenStateRenderer: Sendable {
    let context: ValidationContext
    let spec: GoldenStateSpec
    /// The scheduled job playbooks, read once for every host's cron entries.
    let schedules: JobScheduleRenderer
    /// The config schema and key catalog `managed.config` is checked with (nil without either).
    let managedChecks: (schema: CompiledSchema, catalog: HarnessKeyCatalog)?

    /// A renderer for the repo's `playbooks/site.yaml` (nil when the repo has none).
    public init?(context: ValidationContext) {
        guard let doc = context.repo[GoldenStateFile.path], doc.root != nil else { return nil }
        self.context = context
        self.spec = GoldenStateSpec(document: doc)
        self.schedules = JobScheduleRenderer(context: context)
        if spec.managed?.config != nil, let schema = context.repo[SchemaCheck.schemaPath], schema.root != nil {
            managedChecks = (CompiledSchema(document: schema), SchemaCheck.catalog(in: context).0)
        } else {
            managedChecks = nil
        }
    }

    /// True when the golden state writes the harness's managed scope (`managed:`), a folder
    /// per machine that two hosts on one machine cannot share.
    public var declaresManagedScope: Bool { spec.managed != nil }

    /// Structural problems of the spec itself.
    public var specDiagnostics: [Diagnostic] { spec.diagnostics }

    /// The inventory hosts `playbooks/site.yaml`'s `hosts:` selects: they get the whole golden state.
    public var siteHosts: [String] {
        guard let inventory = context.inventory else { return [] }
        let pattern = spec.hosts?.string ?? "all"
        return inventory.hosts(matching: pattern)
    }

    /// Every host apply, converge and pull act on: the site's hosts, and the hosts a scheduled
    /// job playbook targets — those outside the site's pattern get only their job schedules'
    /// cron entries (a trainer that runs the training pipeline but no agent), in inventory order.
    public var targetHosts: [String] {
        guard let inventory = context.inventory else { return [] }
        let site = siteHosts
        let scheduled = Set(schedules.targetHosts).subtracting(site)
        guard !scheduled.isEmpty else { return site }
        let wanted = Set(site).union(scheduled)
        return inventory.hostNames.filter(wanted.contains)
    }

    /// True when `host` gets the whole golden state (not only job schedules).
    func isSiteHost(_ host: String) -> Bool { siteHosts.contains(host) }

    /// Renders for `host`, or throws every problem found.
    public func render(host: String, environment: RenderEnvironment) throws(RenderError) -> RenderedState {
        let (state, diags) = renderCollecting(host: host, environment: environment)
        if let state, diags.errorCount == 0 { return state }
        throw RenderError(diagnostics: diags.filter { $0.severity == .error })
    }

    /// Renders for `host`, returning the state (when usable) and all diagnostics.
    public func renderCollecting(host: String, environment: RenderEnvironment) -> (RenderedState?, [Diagnostic]) {
        context.renders.increment()
        var session = RenderSession(renderer: self, host: host, environment: environment)
        let state = session.run()
        return (state, session.diagnostics)
    }
}

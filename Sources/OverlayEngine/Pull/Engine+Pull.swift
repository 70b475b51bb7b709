import OverlayRuntime

extension Engine {
    /// Fetches the overlay repo, and validates and applies the commit its ref points at for
    /// this machine's host (SPEC §3.5). Outcomes (a failed fetch, a rejected or skipped
    /// commit) are reports; only a pull that cannot run at all throws.
    public func pull(_ request: PullRequest) throws(PullError) -> PullReport {
        try PullRun(request: request, engine: self, pullState: StateLocation.fromEnvironment(environment)).run()
    }
}

extension RenderSession {
    /// The cron entries of the repo's scheduled job playbooks that target this host
    /// (`JobScheduleRenderer`); their problems join the host's diagnostics.
    mutating func renderJobSchedules() -> [RenderedCronJob] {
        let (entries, problems) = renderer.schedules.entries(host: host, vars: vars, environment: environment)
        diagnostics += problems
        return entries
    }
}

import ArgumentParser

/// `overlay jobs`: run and inspect training and evaluation job playbooks (SPEC §3.7).
struct JobsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "jobs",
        abstract: "Run and inspect training and evaluation job playbooks.",
        discussion: """
            Runs, steps, gate decisions and promotions are recorded in the job ledger \
            (<state dir>/jobs/ledger.sqlite3); step logs are in <state dir>/jobs/logs/. \
            See docs/jobs.md.
            """,
        subcommands: [
            JobsRunCommand.self, JobsResumeCommand.self, JobsStatusCommand.self, JobsListCommand.self, JobsLogCommand.self,
            JobsCancelCommand.self, JobsRollbackCommand.self, JobsHistoryCommand.self, JobsLedgerBenchCommand.self,
        ])
}

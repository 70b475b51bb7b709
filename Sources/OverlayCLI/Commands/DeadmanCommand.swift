import ArgumentParser

/// `overlay deadman`: install, check, show or reset the deadman switch (SPEC §3.6).
struct DeadmanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "deadman",
        abstract: "Install, check, show or reset the deadman switch.",
        discussion: """
            The check reads the live generation's 'deadman:' settings and its heartbeat stamp; \
            apply, converge and pull install it into the host's managed crontab block. See docs/deadman.md.
            """,
        subcommands: [
            DeadmanCheckCommand.self, DeadmanStatusCommand.self, DeadmanResetCommand.self, DeadmanInstallCommand.self,
        ])
}

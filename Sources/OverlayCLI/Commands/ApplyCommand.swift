import ArgumentParser
import OverlayRuntime

/// `overlay apply`: apply the golden state for this host into its homes, atomically.
struct ApplyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apply",
        abstract: "Apply the golden state for this host into its homes, atomically.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var target: ApplyTargetOptions

    @Flag(help: "Show what would change; change nothing.")
    var dryRun = false

    @Flag(help: "Show unified diffs of changed files (secrets redacted).")
    var diff = false

    @Option(help: "Generations to keep (the current and last known-good are always kept).")
    var keep = 10

    @Flag(help: "Re-seed create-only files that are present (each is kept under backups/ first).")
    var forceCreate = false

    @OptionGroup var lock: LockTimeoutOption

    func validate() throws {
        if keep < 1 { throw ValidationError("--keep must be at least 1") }
    }

    func run() throws {
        var options = ApplyOptions(dryRun: dryRun, force: target.force, keep: keep, lockTimeout: lock.lockTimeout)
        options.forceCreate = forceCreate
        try ApplyRun(global: global, target: target, options: options, diff: diff).run()
    }
}

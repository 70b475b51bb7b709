import ArgumentParser
import Foundation
import OverlayCore
import OverlayEngine
import OverlayRuntime

/// `overlay pull`: fetch the overlay repo with libgit2, validate the commit and apply it.
struct PullCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pull",
        abstract: "Fetch the overlay repo with libgit2, validate the commit and apply it for this host.",
        discussion: """
            The same commit twice is a no-op. A commit that fails validation (or the signature \
            check) is recorded as rejected and nothing changes; a commit the deadman rolled back \
            from is skipped until the ref moves or 'overlay deadman reset'. State: the mirror, \
            pull.json and the checkouts live in the state dir.
            """)

    @OptionGroup var global: GlobalOptions

    @Option(help: "The overlay repo: a URL (https://, ssh://, file://) or a local path.")
    var repo: String

    @Option(help: "The branch, tag or full ref to follow.")
    var ref = "main"

    @OptionGroup var scope: HostOptions

    @Flag(help: "Apply only commits with a good SSH signature from a signer in --allowed-signers.")
    var verifySignatures = false

    @Option(help: "OpenSSH allowed-signers file for --verify-signatures.")
    var allowedSigners: String?

    @Option(help: "Generations to keep (the current and last known-good are always kept).")
    var keep = 10

    @Flag(help: "Converge every host of the fetched inventory instead of applying for this host (what 'serve --action converge' runs).")
    var converge = false

    @Option(help: "With --converge: only hosts matching this Ansible pattern.")
    var limit: String?

    @Option(help: "Seconds the fetch may take before the pull gives up on the remote (default 300).")
    var fetchTimeout: Double = 300

    @OptionGroup var lock: LockTimeoutOption

    func validate() throws {
        if verifySignatures && allowedSigners == nil {
            throw ValidationError("--verify-signatures needs --allowed-signers FILE (OpenSSH allowed-signers format)")
        }
        if allowedSigners != nil && !verifySignatures {
            throw ValidationError("--allowed-signers is used with --verify-signatures; add it, or drop --allowed-signers")
        }
        if keep < 1 { throw ValidationError("--keep must be at least 1") }
        if !(fetchTimeout > 0 && fetchTimeout.isFinite) { throw ValidationError("--fetch-timeout must be a number of seconds above 0") }
        if limit != nil && !converge { throw ValidationError("--limit is used with --converge") }
    }

    func run() throws {
        try global.requireTextOrJSON()
        var request = PullRequest(
            remote: repo, ref: ref, host: scope.host, inventory: scope.inventory.inventory,
            allowedSigners: verifySignatures ? allowedSigners.map(Self.absolute) : nil,
            apply: ApplyOptions(keep: keep, lockTimeout: lock.lockTimeout))
        request.fetchTimeout = fetchTimeout
        if converge {
            request.converge = ConvergeOptions(lockTimeout: lock.lockTimeout)
            request.limit = limit
        }
        let report: PullReport
        do { report = try global.engine.pull(request) } catch {
            throw FailureOutput.report(error, format: global.format, fields: [("result", .string("failed")), ("ref", .string(ref))])
        }
        if let apply = report.apply { ApplyOutput.logHandlers(apply.report) }
        if global.format == .json {
            Output.raw(PullOutput.json(report))
        } else {
            Output.raw(PullOutput.text(report, quiet: global.quiet, verbose: global.verbose))
        }
        if !report.ok { throw ExitCode(1) }
    }

    /// A relative path made absolute against the working directory.
    static func absolute(_ path: String) -> String {
        path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
    }
}

import ArgumentParser
import Foundation
import OverlayCore
import OverlayEngine
import OverlayServer

/// `overlay serve`: the signed-webhook receiver; each accepted push runs `overlay pull` (or a
/// pull that converges the fleet) in the background.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Receive signed push webhooks and pull (or converge) when the branch moved.",
        discussion: """
            POST /hooks/push takes Gitea, Forgejo, GitHub, GitLab and generic deliveries, checked \
            against every secret of --secret-file (one a line); GET /healthz, /status and /metrics. \
            Each run is `overlay pull` of --repo at --ref, in a child process with a time limit \
            (--run-timeout), at most one at a time, a burst of pushes coalesced into one run. \
            See docs/serve.md and docs/gitops.md.
            """)

    @OptionGroup var global: GlobalOptions

    @Option(help: "Where to listen: HOST:PORT (e.g. 127.0.0.1:9000, [::1]:9000).")
    var listen: String

    @Option(help: "File with the webhook secret(s), one a line (two lines while rotating).")
    var secretFile: String

    @Option(help: "The overlay repo to pull: a URL (https://, ssh://, file://) or a local path.")
    var repo: String

    @Option(help: "The branch (or full ref) whose pushes are acted on.")
    var ref = "main"

    @Option(help: "What a push runs: pull (this host) or converge (every host of the fetched inventory).")
    var action: ServeAction.Kind = .pull

    @OptionGroup var scope: HostOptions

    @Flag(help: "Apply only commits with a good SSH signature from a signer in --allowed-signers.")
    var verifySignatures = false

    @Option(help: "OpenSSH allowed-signers file for --verify-signatures.")
    var allowedSigners: String?

    @Option(help: "Largest request body accepted, in bytes (default 1 MiB).")
    var bodyLimit = 1 << 20

    @Option(help: "How long one run may take before it is stopped (30s, 5m, 1h; default 30m).")
    var runTimeout = "30m"

    @Option(help: "On SIGTERM, how long the run in progress may go on before it is stopped (default 2m).")
    var shutdownGrace = "2m"

    func validate() throws {
        if verifySignatures && allowedSigners == nil {
            throw ValidationError("--verify-signatures needs --allowed-signers FILE (OpenSSH allowed-signers format)")
        }
        if allowedSigners != nil && !verifySignatures {
            throw ValidationError("--allowed-signers is used with --verify-signatures; add it, or drop --allowed-signers")
        }
        guard DurationParser.seconds(shutdownGrace) != nil else {
            throw ValidationError("--shutdown-grace '\(shutdownGrace)' is not a duration: write \(DurationParser.expected)")
        }
        guard (DurationParser.seconds(runTimeout) ?? 0) > 0 else {
            throw ValidationError("--run-timeout '\(runTimeout)' is not a duration: write \(DurationParser.expected), above 0")
        }
    }

    func run() async throws {
        try global.requireTextOrJSON()
        let engine = global.engine
        let state = StateLocation.fromEnvironment(engine.environment)
        let action = ServeAction(
            kind: action, repo: repo, ref: ref, host: scope.host, inventory: scope.inventory.inventory,
            allowedSigners: verifySignatures ? allowedSigners.map(PullCommand.absolute) : nil,
            timeout: .seconds(DurationParser.seconds(runTimeout) ?? 1800), environment: engine.environment)
        let server: WebhookServer
        do {
            let configuration = try ServeConfiguration(
                listen: listen, secretFile: secretFile, ref: ref, stateDirectory: state.path + "/serve", bodyLimit: bodyLimit,
                shutdownGrace: .seconds(DurationParser.seconds(shutdownGrace) ?? 120))
            server = try WebhookServer(configuration: configuration, action: action, clock: engine.environment.clock)
        } catch {
            throw FailureOutput.report(error, format: global.format)
        }
        do {
            try await server.run { address in
                FileHandle.standardOutput.write(Data("listening \(address)\n".utf8))
            }
        } catch {
            throw FailureOutput.report(error, format: global.format)
        }
    }
}

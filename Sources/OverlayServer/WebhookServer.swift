import Foundation
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import OverlayRuntime
import ServiceLifecycle

/// The signed-webhook receiver of `overlay serve` (SPEC §3.5).
///
/// ```swift
/// let server = try WebhookServer(configuration: configuration, action: pull, logger: logger)
/// try await server.run()   // until SIGTERM or SIGINT; returns when the run in progress is done
/// ```
/// Routes: `POST /hooks/push`, `GET /healthz`, `GET /status` (JSON), `GET /metrics`
/// (Prometheus text).
public final class WebhookServer: Sendable {
    private let configuration: ServeConfiguration
    private let logger: Logger
    private let state = ServerState()
    private let runner: PushRunner
    private let endpoint: PushHookEndpoint
    private let control = ServerControl()

    /// Loads the secrets and the remembered delivery ids; nothing listens yet. Logs go to
    /// `logger` (by default swift-log's handler: standard error).
    public init(
        configuration: ServeConfiguration, action: any PushAction, logger: Logger = Logger(label: "overlay.serve"),
        clock: any WallClock = SystemClock()
    ) throws(ServeError) {
        self.configuration = configuration
        self.logger = logger
        runner = PushRunner(action: action, ref: configuration.ref, state: state, clock: clock, logger: logger)
        endpoint = PushHookEndpoint(
            ref: configuration.ref, bodyLimit: configuration.bodyLimit,
            secrets: try SecretStore(path: configuration.secretFile, logger: logger),
            ledger: try DeliveryLedger(
                folder: configuration.stateDirectory, capacity: configuration.rememberedDeliveries, logger: logger),
            runner: runner, state: state, clock: clock, logger: logger)
    }

    /// Listens and answers until a shutdown: SIGTERM or SIGINT (when `stopOnSignals`) or
    /// ``shutdown()``. A shutdown stops accepting connections, starts no new run, waits
    /// for the run in progress (at most the configured grace) and returns.
    ///
    /// `onListening` gets the bound address (the real port when 0 was asked for).
    public func run(
        stopOnSignals: Bool = true, onListening: @escaping @Sendable (ListenAddress) async -> Void = { _ in }
    ) async throws {
        let address = configuration.listen
        let control = control
        let logger = logger
        let (headerTimeout, bodyTimeout) = (configuration.headerTimeout, configuration.bodyTimeout)
        let application = Application(
            router: makeRouter(),
            server: .http1(
                configuration: .init(
                    additionalChannelHandlers: [
                        ConnectionGuard(headerTimeout: headerTimeout, bodyTimeout: bodyTimeout, logger: logger)
                    ])),
            configuration: ApplicationConfiguration(
                address: .hostname(address.host, port: address.port),
                availableConnectionsDelegate: MaximumAvailableConnections(configuration.maxConnections)),
            onServerRunning: { channel in
                let bound = address.with(port: channel.localAddress?.port ?? address.port)
                control.markListening()
                logger.notice("listening", metadata: ["address": "\(bound)", "ref": "\(self.configuration.ref)"])
                await onListening(bound)
            },
            logger: quieter(logger, label: "overlay.serve.http"))
        var groupConfiguration = ServiceGroupConfiguration(
            services: [RunnerDrain(runner: runner, grace: configuration.shutdownGrace), application, ShutdownNotice(runner: runner)],
            gracefulShutdownSignals: stopOnSignals ? [.sigterm, .sigint] : [],
            logger: quieter(logger, label: "overlay.serve.lifecycle"))
        // Requests in flight finish within the body timeout, then the run gets its grace.
        groupConfiguration.maximumGracefulShutdownDuration =
            configuration.bodyTimeout + configuration.shutdownGrace + .seconds(10)
        let group = ServiceGroup(configuration: groupConfiguration)
        if control.attach(group) { await group.triggerGracefulShutdown() }
        do {
            try await group.run()
        } catch {
            guard control.wasListening else { throw ServeError.bindFailed(address: "\(address)", reason: "\(error)") }
            throw error
        }
        logger.notice("stopped")
    }

    /// Starts a graceful shutdown, as SIGTERM does.
    public func shutdown() async {
        if let group = control.requestShutdown() { await group.triggerGracefulShutdown() }
    }

    private func makeRouter() -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        let (endpoint, state, ref) = (endpoint, state, configuration.ref)
        router.post("hooks/push") { request, _ in await endpoint.respond(to: request) }
        router.get("healthz") { _, _ in Self.text("ok\n", type: "text/plain; charset=utf-8") }
        router.get("status") { _, _ in Self.text(StatusDocument.render(state.snapshot(), ref: ref), type: "application/json") }
        router.get("metrics") { _, _ in Self.text(MetricsText.render(state.snapshot()), type: MetricsText.contentType) }
        return router
    }

    private static func text(_ body: String, type: String) -> Response {
        Response(status: .ok, headers: [.contentType: type], body: .init(byteBuffer: ByteBuffer(string: body)))
    }

    /// The framework's own logs at notice and above only: one line per delivery and run is ours.
    private func quieter(_ logger: Logger, label: String) -> Logger {
        var quiet = logger
        quiet.logLevel = max(logger.logLevel, .notice)
        quiet[metadataKey: "component"] = "\(label)"
        return quiet
    }
}

import ServiceLifecycle

/// Waits for the shutdown, then for the run in progress (at most the grace period).
/// First in the service group, so it is shut down last, after the HTTP server.
struct RunnerDrain: Service {
    let runner: PushRunner
    let grace: Duration

    func run() async throws {
        do {
            try await gracefulShutdown()
            _ = await runner.stop(grace: grace)
        } catch {
            _ = await runner.stop(grace: .zero)
        }
    }
}

/// Last in the service group, so shut down first: from the first instant of a shutdown,
/// pushes still being answered queue no new run.
struct ShutdownNotice: Service {
    let runner: PushRunner

    func run() async throws {
        try? await gracefulShutdown()
        await runner.refuseNewRuns()
    }
}

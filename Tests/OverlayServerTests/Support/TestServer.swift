import Foundation
import Logging
import OverlayServer

/// A receiver running in this process on 127.0.0.1 with a free port, its secret file and
/// state folder in a temporary folder, and a recording action.
final class TestServer: @unchecked Sendable {
    static let secret = "s3cret-for-tests"

    let folder: String
    let action: RecordingAction
    let logs: LogCapture
    let port: Int
    private let server: WebhookServer
    private let task: Task<Void, any Error>

    var secretFile: String { folder + "/secret" }
    var stateDirectory: String { folder + "/state" }

    /// Starts a server; `folder` reuses a previous server's files (a restart).
    static func start(
        secrets: [String] = [secret], action: RecordingAction = RecordingAction(), folder: String? = nil,
        bodyLimit: Int = 1 << 20, headerTimeout: Duration = .seconds(10), bodyTimeout: Duration = .seconds(10),
        shutdownGrace: Duration = .seconds(30)
    ) async throws -> TestServer {
        let folder = try folder ?? makeTemporaryFolder()
        if !FileManager.default.fileExists(atPath: folder + "/secret") {
            try (secrets.joined(separator: "\n") + "\n").write(toFile: folder + "/secret", atomically: true, encoding: .utf8)
        }
        let configuration = try ServeConfiguration(
            listen: "127.0.0.1:0", secretFile: folder + "/secret", ref: "main", stateDirectory: folder + "/state",
            bodyLimit: bodyLimit, headerTimeout: headerTimeout, bodyTimeout: bodyTimeout, shutdownGrace: shutdownGrace)
        let logs = LogCapture()
        let server = try WebhookServer(configuration: configuration, action: action, logger: logs.logger())
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let stopped = StoppedFlag()
        let task = Task {
            defer {
                continuation.finish()
                stopped.set()
            }
            try await server.run(stopOnSignals: false) { continuation.yield($0.port) }
        }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else {
            try await task.value
            throw CancellationError()
        }
        return TestServer(folder: folder, action: action, logs: logs, port: port, server: server, task: task, stopped: stopped)
    }

    private let stopped: StoppedFlag

    private init(
        folder: String, action: RecordingAction, logs: LogCapture, port: Int, server: WebhookServer, task: Task<Void, any Error>,
        stopped: StoppedFlag
    ) {
        self.stopped = stopped
        self.folder = folder
        self.action = action
        self.logs = logs
        self.port = port
        self.server = server
        self.task = task
    }

    /// Shuts down gracefully and waits until `run` returned.
    func stop() async throws {
        await server.shutdown()
        try await task.value
    }

    /// Starts a shutdown without waiting for it.
    func beginShutdown() async { await server.shutdown() }

    /// Whether `run` has returned.
    var hasStopped: Bool { stopped.isSet }

    /// Waits until `run` returned.
    func waitUntilStopped() async throws { try await task.value }

    /// A signed push to `main` from `kind`.
    func push(
        _ kind: SenderKind = .github, delivery: String = UUID().uuidString, secret: String = TestServer.secret
    )
        async throws -> RawResponse
    {
        let body = pushBody()
        return try await httpRequest(
            port: port, "POST", "/hooks/push", headers: signedHeaders(kind, secret: secret, body: body, delivery: delivery),
            body: body)
    }

    func get(_ path: String) async throws -> RawResponse { try await httpRequest(port: port, "GET", path) }

    /// The value of one metrics series, e.g. `overlay_webhook_runs_total{result="applied"}`.
    func metric(_ series: String) async throws -> Double? {
        for line in try await get("/metrics").body.split(separator: "\n") where line.hasPrefix(series + " ") {
            return Double(line.dropFirst(series.count + 1))
        }
        return nil
    }

    /// `/status` as a JSON object.
    func status() async throws -> [String: Any] {
        let object = try JSONSerialization.jsonObject(with: Data(await get("/status").body.utf8))
        return object as? [String: Any] ?? [:]
    }
}

func makeTemporaryFolder() throws -> String {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("overlay-serve-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

extension TestServer {
    /// Stops the server and removes its folder.
    func finish() async throws {
        try await stop()
        try? FileManager.default.removeItem(atPath: folder)
    }
}

/// Set once, read from any thread.
final class StoppedFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false

    func set() {
        lock.lock()
        value = true
        lock.unlock()
    }

    var isSet: Bool {
        lock.lock()
        defer { lock.unlock() }
        return value
    }
}

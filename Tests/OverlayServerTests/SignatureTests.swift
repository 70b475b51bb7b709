import Foundation
import OverlayServer
import Testing

@Suite("Signatures: who may trigger a run")
struct SignatureTests {
    @Test("a push signed the way each sender signs is accepted and runs the action", arguments: SenderKind.allCases)
    func eachSenderKindIsAccepted(kind: SenderKind) async throws {
        let server = try await TestServer.start()
        let response = try await server.push(kind)
        #expect(response.status == 202)
        #expect(response.body == "{\"status\":\"accepted\"}\n")
        #expect(await eventually { server.action.finishCount == 1 })
        let status = try await server.status()
        let delivery = try #require(status["last_delivery"] as? [String: Any])
        #expect(delivery["kind"] as? String == kind.rawValue)
        #expect(delivery["verdict"] as? String == "accepted")
        try await server.finish()
    }

    @Test("GitHub's published test vector authenticates (the body is then refused as not JSON, not as unsigned)")
    func githubTestVector() async throws {
        let server = try await TestServer.start(secrets: ["It's a Secret to Everybody"])
        let body = Array("Hello, World!".utf8)
        #expect(
            hmacHex(secret: "It's a Secret to Everybody", body: body)
                == "757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17")
        let response = try await httpRequest(
            port: server.port, "POST", "/hooks/push",
            headers: [
                ("X-Hub-Signature-256", "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"),
                ("X-GitHub-Event", "push"), ("X-GitHub-Delivery", "vector-1"),
            ], body: body)
        #expect(response.status == 400)
        #expect(response.body.contains("not JSON"))
        try await server.finish()
    }

    static let good = hmacHex(secret: TestServer.secret, body: pushBody())
    static let refused: [(String, [(String, String)])] = [
        ("wrong secret", [("X-Hub-Signature-256", "sha256=" + hmacHex(secret: "not-the-secret", body: pushBody()))]),
        ("missing", [("X-GitHub-Event", "push")]),
        ("truncated", [("X-Hub-Signature-256", "sha256=" + good.dropLast(2))]),
        ("no sha256= prefix", [("X-Hub-Signature-256", good)]),
        ("not hex", [("X-Gitea-Signature", String(repeating: "zz", count: 32))]),
        ("signed over another body", [("X-Overlay-Signature", "sha256=" + hmacHex(secret: TestServer.secret, body: pushBody(ref: "x")))]),
        ("wrong GitLab token", [("X-Gitlab-Token", "not-the-secret"), ("X-Gitlab-Event", "Push Hook")]),
        ("GitLab token with a suffix", [("X-Gitlab-Token", TestServer.secret + "x"), ("X-Gitlab-Event", "Push Hook")]),
        ("empty GitLab token", [("X-Gitlab-Token", ""), ("X-Gitlab-Event", "Push Hook")]),
        (
            "signature header given twice",
            [
                ("X-Hub-Signature-256", "sha256=" + good),
                ("X-Hub-Signature-256", "sha256=" + hmacHex(secret: "other", body: pushBody())),
            ]
        ),
    ]

    @Test("a wrong, missing, truncated or malformed signature gets 401 and starts nothing", arguments: Self.refused)
    func refusedSignatures(name: String, headers: [(String, String)]) async throws {
        let server = try await TestServer.start()
        let response = try await httpRequest(
            port: server.port, "POST", "/hooks/push", headers: headers + [("X-GitHub-Event", "push")], body: pushBody())
        #expect(response.status == 401, "\(name)")
        #expect(response.body.contains("\"status\":\"rejected\""))
        try await Task.sleep(for: .milliseconds(200))
        #expect(server.action.startCount == 0)
        #expect(try await server.metric("overlay_webhook_deliveries_total{result=\"unauthorized\"}") == 1)
        #expect(try await server.metric("overlay_webhook_runs_total{result=\"applied\"}") == 0)
        try await server.finish()
    }

    @Test("while a secret is rotated, the old and the new one are both accepted")
    func rotationAcceptsBoth() async throws {
        let server = try await TestServer.start(secrets: ["old-secret", "new-secret"])
        #expect(try await server.push(.github, secret: "old-secret").status == 202)
        #expect(await eventually { server.action.finishCount == 1 })
        #expect(try await server.push(.gitea, secret: "new-secret").status == 202)
        #expect(try await server.push(.gitlab, secret: "new-secret").status == 202)
        #expect(try await server.push(.github, secret: "third-secret").status == 401)
        try await server.finish()
    }

    @Test("an edited secret file is re-read: the new secret works and the removed one stops working, without a restart")
    func secretFileIsReRead() async throws {
        let server = try await TestServer.start(secrets: ["old-secret"])
        #expect(try await server.push(secret: "old-secret").status == 202)
        try "new-secret\n".write(toFile: server.secretFile, atomically: true, encoding: .utf8)
        #expect(await eventually { (try? await server.push(secret: "new-secret").status) == 202 })
        #expect(try await server.push(secret: "old-secret").status == 401)
        // A file emptied by mistake keeps the secrets in force.
        try "\n".write(toFile: server.secretFile, atomically: true, encoding: .utf8)
        try await Task.sleep(for: .milliseconds(1100))
        #expect(try await server.push(secret: "new-secret").status == 202)
        #expect(server.logs.lines.contains { $0.contains("cannot be used") })
        try await server.finish()
    }

    @Test("logs name the verdict but never a secret or a signature")
    func logsHoldNoSecrets() async throws {
        let server = try await TestServer.start()
        let body = pushBody()
        let signature = hmacHex(secret: TestServer.secret, body: body)
        _ = try await server.push(.github)
        _ = try await server.push(.gitlab)
        _ = try await httpRequest(
            port: server.port, "POST", "/hooks/push", headers: [("X-Hub-Signature-256", "sha256=" + signature)],
            body: pushBody(ref: "other"))
        #expect(await eventually { server.action.finishCount >= 1 })
        try await server.stop()
        let lines = server.logs.lines
        #expect(lines.filter { $0.contains("delivery") && $0.contains("verdict=") }.count == 3)
        #expect(lines.contains { $0.contains("run:") && $0.contains("result=applied") })
        #expect(!lines.contains { $0.contains(TestServer.secret) || $0.contains(signature) })
    }

    @Test("a secret file other users can read is named in a warning")
    func secretFileModeWarning() async throws {
        let folder = try makeTemporaryFolder()
        try "s\n".write(toFile: folder + "/secret", atomically: true, encoding: .utf8)
        chmod(folder + "/secret", 0o644)
        let configuration = try ServeConfiguration(
            listen: "127.0.0.1:0", secretFile: folder + "/secret", stateDirectory: folder + "/state")
        let logs = LogCapture()
        _ = try WebhookServer(configuration: configuration, action: RecordingAction(), logger: logs.logger())
        #expect(logs.lines.contains { $0.contains("chmod 600") })
        chmod(folder + "/secret", 0o600)
        let quiet = LogCapture()
        _ = try WebhookServer(configuration: configuration, action: RecordingAction(), logger: quiet.logger())
        #expect(!quiet.lines.contains { $0.contains("chmod 600") })
    }
}

import Foundation
import OverlayServer
import Testing

@Suite("Deliveries: what a signed request leads to")
struct DeliveryTests {
    @Test("a body over the limit gets 413 and the connection is closed without reading the rest")
    func oversizedBodyDeclared() async throws {
        let server = try await TestServer.start(bodyLimit: 64 << 10)
        let connection = try RawConnection(port: server.port)
        let headers = signedHeaders(.github, secret: TestServer.secret, body: [])
        var head = "POST /hooks/push HTTP/1.1\r\nHost: x\r\nContent-Length: \(100 << 20)\r\n"
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        try await connection.send(head + "\r\n" + String(repeating: "a", count: 1000))
        let response = try await connection.readResponse()
        #expect(response.status == 413)
        #expect(response.headers["connection"] == "close")
        #expect(await connection.waitForClose(timeout: 5))
        #expect(server.action.startCount == 0)
        try await server.finish()
    }

    @Test("a chunked body that grows past the limit gets 413 too")
    func oversizedBodyChunked() async throws {
        let server = try await TestServer.start(bodyLimit: 64 << 10)
        let connection = try RawConnection(port: server.port)
        var head = "POST /hooks/push HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
        for (name, value) in signedHeaders(.github, secret: TestServer.secret, body: []) { head += "\(name): \(value)\r\n" }
        try await connection.send(head + "\r\n")
        let chunk = String(repeating: "b", count: 16 << 10)
        for _ in 0..<5 { try await connection.send(String(chunk.utf8.count, radix: 16) + "\r\n" + chunk + "\r\n") }
        let response = try await connection.readResponse()
        #expect(response.status == 413)
        #expect(await connection.waitForClose(timeout: 5))
        #expect(server.action.startCount == 0)
        try await server.finish()
    }

    @Test(
        "a signed but malformed payload gets 400 and starts nothing",
        arguments: [
            "{\"ref\": \"refs/heads/main\"", "not json at all", "[\"refs/heads/main\"]", "{\"after\": \"abc\"}", "{\"ref\": 42}",
            String(repeating: "[", count: 100_000),
        ])
    func malformedPayload(text: String) async throws {
        let server = try await TestServer.start()
        let body = Array(text.utf8)
        let response = try await httpRequest(
            port: server.port, "POST", "/hooks/push", headers: signedHeaders(.github, secret: TestServer.secret, body: body), body: body)
        #expect(response.status == 400)
        #expect(response.body.contains("payload"))
        #expect(try await server.get("/healthz").status == 200)
        #expect(server.action.startCount == 0)
        try await server.finish()
    }

    @Test(
        "a ping, another event or another ref is 202 ignored with the reason",
        arguments: [
            (SenderKind.github, "ping", "refs/heads/main", "ping"),
            (.github, "issues", "refs/heads/main", "event 'issues' is not a push"),
            (.gitea, "push", "refs/heads/feature", "ref refs/heads/feature is not refs/heads/main"),
            (.gitlab, "Tag Push Hook", "refs/tags/v1", "event 'Tag Push Hook' is not a push"),
            (.generic, "push", "refs/tags/v1", "ref refs/tags/v1 is not refs/heads/main"),
        ])
    func ignoredDeliveries(kind: SenderKind, event: String, ref: String, reason: String) async throws {
        let server = try await TestServer.start()
        let body = pushBody(ref: ref)
        let response = try await httpRequest(
            port: server.port, "POST", "/hooks/push",
            headers: signedHeaders(kind, secret: TestServer.secret, body: body, event: event), body: body)
        #expect(response.status == 202)
        #expect(response.body == "{\"status\":\"ignored\",\"reason\":\"\(reason)\"}\n")
        try await Task.sleep(for: .milliseconds(100))
        #expect(server.action.startCount == 0)
        try await server.finish()
    }

    @Test("GitHub's form-encoded payload (payload=<url-encoded JSON>) is read")
    func formEncodedPayload() async throws {
        let server = try await TestServer.start()
        let json = String(decoding: pushBody(), as: UTF8.self)
        let encoded = json.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
        let body = Array("payload=\(encoded)".utf8)
        var headers = signedHeaders(.github, secret: TestServer.secret, body: body).filter { $0.0 != "Content-Type" }
        headers.append(("Content-Type", "application/x-www-form-urlencoded"))
        let response = try await httpRequest(port: server.port, "POST", "/hooks/push", headers: headers, body: body)
        #expect(response.status == 202)
        #expect(response.body == "{\"status\":\"accepted\"}\n")
        try await server.finish()
    }

    @Test("a replayed delivery does nothing, also after a restart on the same state folder")
    func replayIsDropped() async throws {
        let first = try await TestServer.start()
        #expect(try await first.push(.github, delivery: "delivery-1").status == 202)
        #expect(await eventually { first.action.finishCount == 1 })
        let replay = try await first.push(.github, delivery: "delivery-1")
        #expect(replay.status == 202)
        #expect(replay.body == "{\"status\":\"ignored\",\"reason\":\"duplicate delivery\"}\n")
        try await first.stop()

        let action = RecordingAction()
        let second = try await TestServer.start(action: action, folder: first.folder)
        #expect(try await second.push(.github, delivery: "delivery-1").body.contains("duplicate delivery"))
        // The same id from another kind of sender is another delivery.
        #expect(try await second.push(.generic, delivery: "delivery-1").body == "{\"status\":\"accepted\"}\n")
        #expect(await eventually { action.finishCount == 1 })
        try await Task.sleep(for: .milliseconds(100))
        #expect(action.startCount == 1)
        #expect(try await second.metric("overlay_webhook_deliveries_total{result=\"duplicate\"}") == 1)
        try await second.finish()
    }

    @Test("a delivery id that cannot be logged or stored is refused once the signature is good")
    func unusableDeliveryID() async throws {
        let server = try await TestServer.start()
        let body = pushBody()
        let long = String(repeating: "x", count: 200)
        let response = try await httpRequest(
            port: server.port, "POST", "/hooks/push",
            headers: signedHeaders(.generic, secret: TestServer.secret, body: body, delivery: long), body: body)
        #expect(response.status == 400)
        #expect(response.body.contains("delivery id"))
        try await server.finish()
    }

    @Test("the same delivery sent ten times at once is accepted once")
    func concurrentReplays() async throws {
        let server = try await TestServer.start()
        let port = server.port
        let bodies = try await withThrowingTaskGroup(of: String.self) { group in
            for _ in 0..<10 {
                group.addTask {
                    let body = pushBody()
                    return try await httpRequest(
                        port: port, "POST", "/hooks/push",
                        headers: signedHeaders(.gitea, secret: TestServer.secret, body: body, delivery: "same-id"), body: body
                    ).body
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(bodies.filter { $0.contains("accepted") }.count == 1)
        #expect(bodies.filter { $0.contains("duplicate delivery") }.count == 9)
        #expect(await eventually { server.action.finishCount == 1 })
        try await server.finish()
    }

    @Test("a GitLab retry (same Idempotency-Key, new event UUID) is a duplicate")
    func gitlabRetryIsDuplicate() async throws {
        let server = try await TestServer.start()
        let body = pushBody()
        for (uuid, expected) in [
            ("event-1", "{\"status\":\"accepted\"}\n"), ("event-2", "{\"status\":\"ignored\",\"reason\":\"duplicate delivery\"}\n"),
        ] {
            let response = try await httpRequest(
                port: server.port, "POST", "/hooks/push",
                headers: signedHeaders(.gitlab, secret: TestServer.secret, body: body, delivery: uuid) + [
                    ("Idempotency-Key", "retry-key-1")
                ],
                body: body)
            #expect(response.body == expected)
        }
        #expect(await eventually { server.action.finishCount == 1 })
        try await server.finish()
    }
}

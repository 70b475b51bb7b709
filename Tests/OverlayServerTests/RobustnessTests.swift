import Foundation
import OverlayServer
import Testing

@Suite("Robustness: hostile and broken clients")
struct RobustnessTests {
    @Test("a client that trickles its headers is cut off after the header timeout; others are served meanwhile")
    func slowHeaders() async throws {
        let server = try await TestServer.start(headerTimeout: .milliseconds(500))
        let slow = try RawConnection(port: server.port)
        try await slow.send("POST /hooks/push HTTP/1.1\r\nHost: x\r\n")
        #expect(try await server.get("/healthz").status == 200)
        let started = Date()
        for _ in 0..<3 {
            try? await slow.send("X-Slow: 1\r\n")
            try await Task.sleep(for: .milliseconds(150))
        }
        #expect(await slow.waitForClose(timeout: 5))
        #expect(Date().timeIntervalSince(started) < 4)
        #expect(try await server.push().status == 202)
        try await server.finish()
    }

    @Test("a client that stalls mid-body is cut off after the body timeout and starts nothing")
    func slowBody() async throws {
        let server = try await TestServer.start(bodyTimeout: .milliseconds(500))
        let connection = try RawConnection(port: server.port)
        let body = pushBody()
        var head = "POST /hooks/push HTTP/1.1\r\nHost: x\r\nContent-Length: \(body.count)\r\n"
        for (name, value) in signedHeaders(.github, secret: TestServer.secret, body: body) { head += "\(name): \(value)\r\n" }
        try await connection.send(Array((head + "\r\n").utf8) + body.prefix(10))
        #expect(await connection.waitForClose(timeout: 5))
        #expect(await eventually { (try? await server.metric("overlay_webhook_deliveries_total{result=\"aborted\"}")) == 1 })
        #expect(server.action.startCount == 0)
        #expect(try await server.push().status == 202)
        try await server.finish()
    }

    @Test("a client that hangs up mid-body does no harm")
    func disconnectMidBody() async throws {
        let server = try await TestServer.start()
        for _ in 0..<5 {
            let connection = try RawConnection(port: server.port)
            let body = pushBody()
            var head = "POST /hooks/push HTTP/1.1\r\nHost: x\r\nContent-Length: \(body.count + 500)\r\n"
            for (name, value) in signedHeaders(.github, secret: TestServer.secret, body: body) { head += "\(name): \(value)\r\n" }
            try await connection.send(Array((head + "\r\n").utf8) + body)
        }
        #expect(await eventually { (try? await server.metric("overlay_webhook_deliveries_total{result=\"aborted\"}")) == 5 })
        #expect(server.action.startCount == 0)
        #expect(try await server.push().status == 202)
        #expect(await eventually { server.action.finishCount == 1 })
        try await server.finish()
    }

    @Test("garbage instead of HTTP, and a malformed payload, leave the server answering")
    func garbage() async throws {
        let server = try await TestServer.start()
        let connection = try RawConnection(port: server.port)
        try await connection.send([UInt8](repeating: 0xFF, count: 4096))
        #expect(await connection.waitForClose(timeout: 5))
        let body = Array("{{{{".utf8)
        let response = try await httpRequest(
            port: server.port, "POST", "/hooks/push", headers: signedHeaders(.github, secret: TestServer.secret, body: body), body: body)
        #expect(response.status == 400)
        #expect(try await server.push().status == 202)
        try await server.finish()
    }

    @Test("a request without a signature is answered at once and its connection closed, its body unread")
    func unsignedBodyIsNotRead() async throws {
        let server = try await TestServer.start()
        let connection = try RawConnection(port: server.port)
        try await connection.send("POST /hooks/push HTTP/1.1\r\nHost: x\r\nContent-Length: 500000\r\n\r\npartial")
        let response = try await connection.readResponse()
        #expect(response.status == 401)
        #expect(await connection.waitForClose(timeout: 5))
        try await server.finish()
    }
}

extension RobustnessTests {
    @Test("a keep-alive connection left idle is closed after the header timeout, also after a response sent before the body was read")
    func idleKeepAliveIsClosed() async throws {
        let server = try await TestServer.start(headerTimeout: .milliseconds(400))
        let connection = try RawConnection(port: server.port)
        try await connection.send("POST /no/such/route HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n")
        #expect(try await connection.readResponse().status == 404)
        try await connection.send(String(repeating: "a", count: 100))
        let idleSince = Date()
        #expect(await connection.waitForClose(timeout: 5))
        #expect(Date().timeIntervalSince(idleSince) >= 0.3)
        try await server.finish()
    }
}

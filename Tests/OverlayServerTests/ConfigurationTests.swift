import Foundation
import Testing

@testable import OverlayServer

@Suite("Configuration: the inputs of overlay serve, checked with readable errors")
struct ConfigurationTests {
    private func secretFile(_ text: String) throws -> String {
        let folder = try makeTemporaryFolder()
        try text.write(toFile: folder + "/secret", atomically: true, encoding: .utf8)
        return folder + "/secret"
    }

    @Test(
        "listen addresses that parse",
        arguments: [
            ("127.0.0.1:9000", "127.0.0.1", 9000), ("0.0.0.0:0", "0.0.0.0", 0), ("[::1]:8080", "::1", 8080),
            ("localhost:65535", "localhost", 65535), ("hooks.example.org:443", "hooks.example.org", 443),
        ])
    func goodListen(text: String, host: String, port: Int) throws {
        let address = try ListenAddress(parsing: text)
        #expect(address.host == host)
        #expect(address.port == port)
        #expect(address.description == text)
    }

    @Test(
        "listen addresses that do not, with the reason",
        arguments: [
            ("9000", "no ':PORT'"), (":9000", "the host is missing"), ("127.0.0.1:", "is not a port number"),
            ("127.0.0.1:65536", "is not a port number"), ("127.0.0.1:-1", "is not a port number"),
            ("::1:9000", "must be written in brackets"), ("[::1:9000", "no closing ']'"), ("[::1]9000", "no ':PORT'"),
            ("host name:80", "is not a host name"), ("127.0.0.1:http", "is not a port number"),
        ])
    func badListen(text: String, reason: String) throws {
        let error = #expect(throws: ServeError.self) { try ListenAddress(parsing: text) }
        let message = error.map { "\($0)" } ?? ""
        #expect(message.contains(reason), "\(message)")
        #expect(message.contains("expected HOST:PORT"))
    }

    @Test("a missing, empty or unreadable secret file is refused with its path")
    func badSecretFiles() throws {
        let folder = try makeTemporaryFolder()
        let missing = #expect(throws: ServeError.self) {
            try ServeConfiguration(listen: "127.0.0.1:0", secretFile: folder + "/nope", stateDirectory: folder + "/state")
        }
        #expect("\(missing.map { "\($0)" } ?? "")".contains("\(folder)/nope cannot be read (No such file or directory)"))

        let blank = try secretFile("\n  \n\r\n")
        let empty = #expect(throws: ServeError.self) {
            try ServeConfiguration(listen: "127.0.0.1:0", secretFile: blank, stateDirectory: folder + "/state")
        }
        #expect(empty == .secretFileEmpty(path: blank))

        let directory = #expect(throws: ServeError.self) {
            try ServeConfiguration(listen: "127.0.0.1:0", secretFile: folder, stateDirectory: folder + "/state")
        }
        #expect("\(directory.map { "\($0)" } ?? "")".contains("not a regular file"))
    }

    @Test("secrets are one a line, trimmed, blank lines skipped")
    func secretLines() throws {
        let path = try secretFile("  first \r\n\nsecond\n\n")
        let set = try SecretSet.load(from: path)
        #expect(set.keys.count == 2)
        let body = Array("x".utf8)
        for secret in ["first", "second"] {
            let hex = hmacHex(secret: secret, body: body)
            let credential = try #require(DeliveryHeaders.decodeHex(Substring(hex)))
            #expect(set.authenticates(.hmacSHA256(credential), body: body))
        }
        #expect(set.authenticates(.token("second"), body: []))
        #expect(!set.authenticates(.token(" second"), body: []))
    }

    @Test(
        "refs: a branch name becomes refs/heads/NAME; bad names are refused",
        arguments: [("main", "refs/heads/main"), ("release/2.x", "refs/heads/release/2.x"), ("refs/heads/dev", "refs/heads/dev")])
    func goodRefs(ref: String, full: String) throws {
        #expect(try ServeConfiguration.fullRef(ref) == full)
    }

    @Test("bad refs", arguments: ["", "a b", "a..b", "x.lock", "feature/", "-", "a~1", "refs/heads/.hidden", "HEAD@{1}"])
    func badRefs(ref: String) {
        if ref == "-" { return }
        #expect(throws: ServeError.self) { try ServeConfiguration.fullRef(ref) }
    }

    @Test("limits out of range are refused by name")
    func badLimits() throws {
        let secret = try secretFile("s\n")
        let state = try makeTemporaryFolder()
        let error = #expect(throws: ServeError.self) {
            try ServeConfiguration(listen: "127.0.0.1:0", secretFile: secret, stateDirectory: state, bodyLimit: 10)
        }
        #expect("\(error.map { "\($0)" } ?? "")".hasPrefix("body limit"))
        #expect(throws: ServeError.self) {
            try ServeConfiguration(listen: "127.0.0.1:0", secretFile: secret, stateDirectory: state, headerTimeout: .zero)
        }
    }

    @Test("a state folder that cannot be created is refused")
    func badStateFolder() throws {
        let secret = try secretFile("s\n")
        let error = #expect(throws: ServeError.self) {
            try ServeConfiguration(listen: "127.0.0.1:0", secretFile: secret, stateDirectory: secret + "/state")
        }
        #expect("\(error.map { "\($0)" } ?? "")".contains("state folder"))
    }

    @Test("a port already in use is a bind error that names the address")
    func portInUse() async throws {
        let first = try await TestServer.start()
        let folder = try makeTemporaryFolder()
        try "s\n".write(toFile: folder + "/secret", atomically: true, encoding: .utf8)
        let configuration = try ServeConfiguration(
            listen: "127.0.0.1:\(first.port)", secretFile: folder + "/secret", stateDirectory: folder + "/state")
        let server = try WebhookServer(configuration: configuration, action: RecordingAction(), logger: LogCapture().logger())
        let error = await #expect(throws: ServeError.self) { try await server.run(stopOnSignals: false) }
        #expect("\(error.map { "\($0)" } ?? "")".contains("cannot listen on 127.0.0.1:\(first.port)"))
        #expect("\(error.map { "\($0)" } ?? "")".contains("another process listens there"))
        try await first.finish()
    }

    @Test("an IPv6 loopback listener reports the port the system chose", .enabled(if: ipv6LoopbackAvailable()))
    func ipv6Loopback() async throws {
        let folder = try makeTemporaryFolder()
        try "s\n".write(toFile: folder + "/secret", atomically: true, encoding: .utf8)
        let configuration = try ServeConfiguration(listen: "[::1]:0", secretFile: folder + "/secret", stateDirectory: folder + "/state")
        let server = try WebhookServer(configuration: configuration, action: RecordingAction(), logger: LogCapture().logger())
        let (bound, continuation) = AsyncStream.makeStream(of: ListenAddress.self)
        let task = Task { try await server.run(stopOnSignals: false) { continuation.yield($0) } }
        var iterator = bound.makeAsyncIterator()
        let address = try #require(await iterator.next())
        #expect(address.host == "::1")
        #expect(address.port > 0)
        #expect(address.description == "[::1]:\(address.port)")
        await server.shutdown()
        try await task.value
    }
}

/// Whether this machine has `::1` (some containers have no IPv6 at all).
func ipv6LoopbackAvailable() -> Bool {
    let fd = socket(AF_INET6, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { return false }
    defer { close(fd) }
    var address = sockaddr_in6()
    address.sin6_family = sa_family_t(AF_INET6)
    address.sin6_addr = in6addr_loopback
    return withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in6>.size)) }
    } == 0
}

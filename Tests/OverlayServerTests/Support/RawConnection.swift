import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// An HTTP response as read off the socket.
struct RawResponse {
    let status: Int
    let headers: [String: String]
    let body: String
}

enum RawConnectionError: Error, CustomStringConvertible {
    case connect(Int32)
    case send(Int32)
    case closedEarly(String)
    case timedOut(String)

    var description: String {
        switch self {
        case .connect(let e): return "connect failed: \(String(cString: strerror(e)))"
        case .send(let e): return "send failed: \(String(cString: strerror(e)))"
        case .closedEarly(let seen): return "connection closed before a full response; got: \(seen)"
        case .timedOut(let seen): return "no full response in time; got: \(seen)"
        }
    }
}

/// A plain TCP connection to the server under test: the tests need to send half a
/// request, stall, or hang up mid-body, which no HTTP client library does on purpose.
///
/// The socket calls block, so each runs on a thread of its own: blocking the few threads
/// of Swift's cooperative pool would starve the server under test in the same process.
final class RawConnection: @unchecked Sendable {
    private let fd: Int32
    private var buffer: [UInt8] = []

    init(port: Int) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        if result != 0 {
            let error = errno
            close(fd)
            throw RawConnectionError.connect(error)
        }
    }

    deinit { close(fd) }

    func send(_ text: String) async throws { try await send(Array(text.utf8)) }

    func send(_ bytes: [UInt8]) async throws {
        try await offload { try self.sendBlocking(bytes) }
    }

    private func sendBlocking(_ bytes: [UInt8]) throws {
        var sent = 0
        while sent < bytes.count {
            let n = bytes[sent...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n < 0, errno == EINTR { continue }
            guard n > 0 else { throw RawConnectionError.send(errno) }
            sent += n
        }
    }

    /// Sends a whole request with `Content-Length`.
    func sendRequest(_ method: String, _ path: String, headers: [(String, String)] = [], body: [UInt8] = []) async throws {
        var head = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: \(body.count)\r\n"
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        try await send(Array((head + "\r\n").utf8) + body)
    }

    /// Reads one response (headers and a `Content-Length` body).
    func readResponse(timeout: Double = 30) async throws -> RawResponse {
        try await offload { try self.readResponseBlocking(timeout: timeout) }
    }

    private func readResponseBlocking(timeout: Double) throws -> RawResponse {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            if let response = parse() { return response }
            let seen = String(decoding: buffer, as: UTF8.self)
            switch readSome(until: deadline) {
            case .data: continue
            case .closed: throw RawConnectionError.closedEarly(seen)
            case .timedOut: throw RawConnectionError.timedOut(seen)
            }
        }
    }

    /// Whether the server closes the connection within `timeout` (reads and drops what comes).
    func waitForClose(timeout: Double) async -> Bool {
        (try? await offload { self.waitForCloseBlocking(timeout: timeout) }) ?? false
    }

    private func waitForCloseBlocking(timeout: Double) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            switch readSome(until: deadline) {
            case .data: continue
            case .closed: return true
            case .timedOut: return false
            }
        }
    }

    private enum ReadOutcome { case data, closed, timedOut }

    private func readSome(until deadline: Date) -> ReadOutcome {
        let remaining = deadline.timeIntervalSinceNow
        guard remaining > 0 else { return .timedOut }
        var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        let ready = poll(&poller, 1, Int32(remaining * 1000) + 1)
        if ready < 0, errno == EINTR { return .data }
        guard ready > 0 else { return .timedOut }
        var chunk = [UInt8](repeating: 0, count: 65536)
        let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        if n < 0, errno == EINTR { return .data }
        guard n > 0 else { return .closed }
        buffer += chunk[..<n]
        return .data
    }

    private func parse() -> RawResponse? {
        let separator: [UInt8] = Array("\r\n\r\n".utf8)
        guard let end = buffer.indices.first(where: { buffer[$0...].starts(with: separator) }) else { return nil }
        let head = String(decoding: buffer[..<end], as: UTF8.self).components(separatedBy: "\r\n")
        let status = head.first.flatMap { Int($0.split(separator: " ").dropFirst().first ?? "") } ?? 0
        var headers: [String: String] = [:]
        for line in head.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        let length = Int(headers["content-length"] ?? "0") ?? 0
        let bodyStart = end + separator.count
        guard buffer.count - bodyStart >= length else { return nil }
        let body = String(decoding: buffer[bodyStart..<bodyStart + length], as: UTF8.self)
        buffer.removeFirst(bodyStart + length)
        return RawResponse(status: status, headers: headers, body: body)
    }
}

/// One request on a new connection.
func httpRequest(
    port: Int, _ method: String, _ path: String, headers: [(String, String)] = [], body: [UInt8] = []
) async throws -> RawResponse {
    let connection = try RawConnection(port: port)
    try await connection.sendRequest(method, path, headers: headers, body: body)
    return try await connection.readResponse()
}

/// Runs blocking work on a thread of its own, off Swift's cooperative pool (and off
/// Dispatch's global queues, which on Linux are as narrow as the cores).
func offload<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread { continuation.resume(with: Result { try work() }) }.start()
    }
}

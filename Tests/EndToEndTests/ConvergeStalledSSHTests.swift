import Foundation
import Testing

/// A host that accepts the SSH connection, sends its banner and then says nothing more: it
/// is reported `unreachable` within the first-contact limit, not `failed` much later.
@Suite struct ConvergeStalledSSHTests {
    /// A TCP listener on 127.0.0.1 that greets like sshd and then stalls every connection.
    final class StallingPeer: @unchecked Sendable {
        let port: Int
        private let fd: Int32
        private var clients: [Int32] = []
        private let lock = NSLock()

        init() throws {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            self.fd = fd
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            address.sin_port = 0
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            let bound = withUnsafeMutablePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
            }
            guard bound, listen(fd, 8) == 0 else { throw ScenarioError("cannot listen on 127.0.0.1") }
            port = Int(UInt16(bigEndian: address.sin_port))
            let listener = fd
            Thread.detachNewThread { [unowned self] in
                while true {
                    let client = accept(listener, nil, nil)
                    if client < 0 { return }
                    lock.withLock { clients.append(client) }
                    let banner = Array("SSH-2.0-OpenSSH_9.2 stalled\r\n".utf8)
                    _ = banner.withUnsafeBufferPointer { write(client, $0.baseAddress, $0.count) }
                }
            }
        }

        func stop() {
            shutdown(fd, Int32(SHUT_RDWR))
            close(fd)
            lock.withLock { clients.forEach { close($0) } }
        }
    }

    @Test func aPeerThatStallsAfterItsBannerIsUnreachable() throws {
        let peer = try StallingPeer()
        defer { peer.stop() }
        let fleet = try ConvergeFleet()
        defer { fleet.cleanup() }
        let vars = [
            "ansible_host": "\"127.0.0.1\"", "ansible_port": String(peer.port), "ansible_user": "\"nobody\"",
            "overlay_home": fleet.quoted(fleet.home("ezra")),
            "ansible_ssh_common_args": "\"-o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null\"",
        ]
        try fleet.writeInventory([("timmy", fleet.sandboxVars("timmy")), ("ezra", fleet.sandboxVars("ezra", vars))])
        let started = Date()
        let r = try fleet.converge(["--format", "json"])
        let elapsed = Date().timeIntervalSince(started)
        let hosts = r.json["hosts"] as? [String: [String: Any]] ?? [:]
        #expect(r.status == 1, "\(r.stdout)\(r.stderr)")
        #expect(hosts["ezra"]?["status"] as? String == "unreachable", "\(r.stdout)\(r.stderr)")
        #expect(hosts["timmy"]?["status"] as? String == "changed", "the local host is not held up")
        #expect(elapsed < 45, "reported after \(elapsed) s")
    }
}

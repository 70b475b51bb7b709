import Foundation
import OverlayCore
import Testing

@testable import OverlayEngine

/// Every inventory host gets its own SSH control socket: ssh's `%C` names only the address,
/// port and user, so two hosts behind two ProxyCommands shared one connection — and the
/// second host's bundle was applied on the first one's machine.
@Suite struct SSHControlPathTests {
    @Test func eachHostHasItsOwnShortSocket() {
        let dir = "/tmp/overlay-ssh-123-abcdef"
        let names = (0..<2000).map { "site-\($0).example.org" } + ["a", "A", "ezra", "ezra "]
        let sockets = names.map { SSHMasters.socket(for: $0, in: dir) }
        #expect(Set(sockets).count == names.count, "no two hosts share a socket")
        #expect(sockets.allSatisfy { $0.utf8.count == dir.utf8.count + 17 }, "short: a socket path is limited to 107 bytes")
        #expect(SSHMasters.socket(for: "ezra", in: dir) == SSHMasters.socket(for: "ezra", in: dir))
    }

    @Test func theArgumentsNameTheHostsSocketNotSSHsPercentC() throws {
        let target = try SSHTarget(host: "10.20.0.5", vars: .object([("ansible_user", .string("root"))]))
        let args = target.arguments(controlPath: "/tmp/x/0123456789abcdef", command: "true")
        #expect(args.contains("ControlPath=/tmp/x/0123456789abcdef"))
        #expect(!args.joined(separator: " ").contains("%C"))
    }
}

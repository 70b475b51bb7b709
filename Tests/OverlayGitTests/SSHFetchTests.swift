import Foundation
import OverlayRuntime
import TestSupport
import Testing

@testable import OverlayGit

/// Fetching over SSH from a real sshd on loopback: the key is offered, the host key is
/// checked against a known_hosts file, and an unknown or changed host key is refused.
@Suite(.serialized) struct SSHFetchTests {
    func url(_ server: SSHServer, _ f: GitFixture) -> String {
        "ssh://\(server.user)@127.0.0.1:\(server.port)\(f.bare)"
    }

    @Test func aFetchOverSSHWithAKnownHostKeyWorks() throws {
        let server = try SSHServer()
        defer { server.stop() }
        let f = try GitFixture()
        defer { f.cleanup() }
        let one = try f.commit("one", ["a": "1\n"])
        let transport = GitTransportOptions(sshPrivateKey: server.clientKey, knownHostsFiles: [server.knownHosts])
        let mirror = GitMirror(remote: url(server, f), path: f.mirrorPath, transport: transport)
        #expect(try mirror.fetch(ref: "main").id == one)
        let two = try f.commit("two", ["a": "2\n"])
        #expect(try mirror.fetch(ref: "main").id == two)
    }

    @Test func anUnknownHostKeyIsRefused() throws {
        let server = try SSHServer()
        defer { server.stop() }
        let f = try GitFixture()
        defer { f.cleanup() }
        try f.commit("one", ["a": "1\n"])
        let empty = f.root + "/empty_known_hosts"
        try "".write(toFile: empty, atomically: true, encoding: .utf8)
        let transport = GitTransportOptions(sshPrivateKey: server.clientKey, knownHostsFiles: [empty])
        let error = #expect(throws: GitError.self) {
            try GitMirror(remote: url(server, f), path: f.mirrorPath, transport: transport).fetch(ref: "main")
        }
        #expect(error?.description.contains("is not in known_hosts") == true, "\(error?.description ?? "")")
        #expect(!FileManager.default.fileExists(atPath: f.mirrorPath))
    }

    @Test func aChangedHostKeyIsRefused() throws {
        let server = try SSHServer()
        defer { server.stop() }
        let f = try GitFixture()
        defer { f.cleanup() }
        try f.commit("one", ["a": "1\n"])
        // known_hosts names this host and port, with another key: a man in the middle.
        let other = f.root + "/other_host_key"
        _ = try ChildProcess("/usr/bin/ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", other]).run()
        let otherPublic = try String(contentsOfFile: other + ".pub", encoding: .utf8)
        let lying = f.root + "/lying_known_hosts"
        try "[127.0.0.1]:\(server.port) \(otherPublic)".write(toFile: lying, atomically: true, encoding: .utf8)
        let transport = GitTransportOptions(sshPrivateKey: server.clientKey, knownHostsFiles: [lying])
        let error = #expect(throws: GitError.self) {
            try GitMirror(remote: url(server, f), path: f.mirrorPath, transport: transport).fetch(ref: "main")
        }
        #expect(error?.description.contains("does NOT match known_hosts") == true, "\(error?.description ?? "")")
    }

    @Test func aKeyTheServerDoesNotAcceptIsReported() throws {
        let server = try SSHServer()
        defer { server.stop() }
        let f = try GitFixture()
        defer { f.cleanup() }
        try f.commit("one", ["a": "1\n"])
        let stranger = f.root + "/stranger"
        _ = try ChildProcess("/usr/bin/ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", stranger]).run()
        let transport = GitTransportOptions(sshPrivateKey: stranger, knownHostsFiles: [server.knownHosts])
        let error = #expect(throws: GitError.self) {
            try GitMirror(remote: url(server, f), path: f.mirrorPath, transport: transport).fetch(ref: "main")
        }
        #expect(
            error?.description.contains("SSH authentication as \(server.user) failed with \(stranger)") == true,
            "\(error?.description ?? "")")
    }
}

import Foundation
import OverlayRuntime

/// A real `sshd` on 127.0.0.1 for one test: its own host key, a client key authorized for
/// the current user, and a known_hosts file naming it, all in a temp folder.
///
/// sshd is started as a daemon (through `ChildProcess`, which returns when it has forked)
/// and stopped by the pid it writes: a long-running child of the test process would hold
/// up Foundation's reaping of every other child.
public final class SSHServer {
    public let dir: URL
    public let port: Int
    private let pid: pid_t
    public var clientKey: String { dir.path + "/client_key" }
    /// `$HOME` of every session (sshd's `SetEnv`), so a test sees where the default home is.
    public var home: String { dir.path + "/home" }
    public var knownHosts: String { dir.path + "/known_hosts" }
    public var user: String { NSUserName() }

    /// The inventory vars (YAML values) that reach this server as the current user.
    public var connectionVars: [String: String] {
        [
            "ansible_host": "\"127.0.0.1\"", "ansible_port": String(port), "ansible_user": "\"\(user)\"",
            "ansible_ssh_private_key_file": "\"\(clientKey)\"",
            // Quoted the way Ansible users write it: split shell-style, not on spaces.
            "ansible_ssh_common_args": "'-o \"UserKnownHostsFile=\(knownHosts)\" -o StrictHostKeyChecking=yes'",
        ]
    }

    public init() throws {
        let sshd = "/usr/sbin/sshd"
        guard FileManager.default.isExecutableFile(atPath: sshd) else {
            throw SessionError("sshd is missing: install openssh-server (scripts/install-deps.sh)")
        }
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("overlay-sshd-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        if geteuid() == 0 {
            // Privilege separation needs this folder when sshd runs as root.
            try? FileManager.default.createDirectory(atPath: "/run/sshd", withIntermediateDirectories: true)
        }
        for key in ["host_key", "client_key"] {
            let r = try ChildProcess("/usr/bin/ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", dir.path + "/" + key]).run()
            guard r.status == 0 else { throw SessionError("ssh-keygen failed: \(String(decoding: r.errors, as: UTF8.self))") }
        }
        try FileManager.default.copyItem(atPath: dir.path + "/client_key.pub", toPath: dir.path + "/authorized_keys")
        try FileManager.default.createDirectory(atPath: dir.path + "/home", withIntermediateDirectories: true)
        let hostKey = try String(contentsOfFile: dir.path + "/host_key.pub", encoding: .utf8)
        var lastLog = ""
        // A free port: the kernel names one, then sshd binds it (a rare race is retried).
        for attempt in 0..<5 {
            let port = try Self.freePort()
            let log = dir.path + "/sshd-\(attempt).log"
            try Self.config(dir: dir.path, port: port).write(toFile: dir.path + "/sshd_config", atomically: true, encoding: .utf8)
            try "[127.0.0.1]:\(port) \(hostKey)".write(toFile: dir.path + "/known_hosts", atomically: true, encoding: .utf8)
            var child = ChildProcess(sshd, ["-f", dir.path + "/sshd_config", "-E", log])
            child.timeout = .seconds(20)
            let started = try child.run()
            let deadline = Date().addingTimeInterval(10)
            while started.status == 0 && Date() < deadline {
                lastLog = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
                if lastLog.contains("Server listening"),
                    let text = try? String(contentsOfFile: dir.path + "/sshd.pid", encoding: .utf8),
                    let pid = pid_t(text.trimmingCharacters(in: .whitespacesAndNewlines))
                {
                    self.port = port
                    self.pid = pid
                    return
                }
                if lastLog.contains("Cannot bind") || lastLog.contains("Bind to port") { break }
                Thread.sleep(forTimeInterval: 0.05)
            }
            lastLog += String(decoding: started.errors, as: UTF8.self)
        }
        throw SessionError("sshd did not start: \(lastLog)")
    }

    /// Stops sshd and removes its folder (once sshd has removed its pid file: PID 1 may not
    /// reap it, so its exit cannot be told by `kill(pid, 0)`).
    public func stop() {
        kill(pid, SIGTERM)
        let deadline = Date().addingTimeInterval(5)
        while FileManager.default.fileExists(atPath: dir.path + "/sshd.pid") && Date() < deadline {
            Thread.sleep(forTimeInterval: 0.02)
        }
        try? FileManager.default.removeItem(at: dir)
    }

    private static func config(dir: String, port: Int) -> String {
        """
        Port \(port)
        ListenAddress 127.0.0.1
        HostKey \(dir)/host_key
        AuthorizedKeysFile \(dir)/authorized_keys
        PidFile \(dir)/sshd.pid
        StrictModes no
        PermitRootLogin prohibit-password
        PasswordAuthentication no
        KbdInteractiveAuthentication no
        UsePAM no
        SetEnv HOME=\(dir)/home

        """
    }

    /// A port nothing listens on right now.
    private static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw SessionError("socket() failed") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let ok = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0
            }
        }
        guard ok else { throw SessionError("cannot find a free port") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

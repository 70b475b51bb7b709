import Foundation
import OverlayCore
import OverlayRuntime

/// The shared SSH connections of one converge: a private folder for their control sockets,
/// made when the run starts and closed and removed when it ends (or at a second interrupt).
struct SSHMasters: Sendable {
    /// The folder (`mkdtemp`: nobody else can have planted a socket in it; short, because
    /// socket paths are limited). Its name carries this process's id, so that a later run can
    /// tell a folder whose converge was killed (SIGKILL leaves its masters and folder) and
    /// close it.
    let controlDir: String

    static let prefix = "overlay-ssh-"

    /// Makes the folder, after closing the folders of converges that are gone.
    static func open(environment: [String: String]? = nil) throws(ConvergeError) -> SSHMasters {
        sweepAbandoned(environment: environment)
        var template = Array("/tmp/\(prefix)\(getpid())-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw .controlDirectory(errno: errno) }
        return SSHMasters(controlDir: String(cString: made))
    }

    /// The control socket of inventory host `host`: one per host, never shared (ssh's `%C`
    /// would join two hosts that differ only by a ProxyCommand). 16 hex digits of a hash of
    /// the name keep the path short.
    static func socket(for host: String, in controlDir: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in host.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        let hex = String(hash, radix: 16)
        return controlDir + "/" + String(repeating: "0", count: 16 - hex.count) + hex
    }

    /// `ssh -O exit` on every socket of the folder (a host never reached has none), then
    /// removes it.
    func close(environment: [String: String]?) {
        Self.close(controlDir, environment: environment)
    }

    static func close(_ dir: String, environment: [String: String]?) {
        defer { try? FileManager.default.removeItem(atPath: dir) }
        for socket in (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? [] {
            var child = ChildProcess(
                "/usr/bin/ssh", ["-o", "ControlPath=" + dir + "/" + socket, "-O", "exit", "overlay-control"], environment: environment)
            child.timeout = .seconds(10)
            _ = try? child.run()
        }
    }

    /// Closes the folders of this user's converges whose process is gone.
    static func sweepAbandoned(environment: [String: String]?) {
        for name in (try? FileManager.default.contentsOfDirectory(atPath: "/tmp")) ?? [] where name.hasPrefix(prefix) {
            let rest = name.dropFirst(prefix.count)
            guard let dash = rest.firstIndex(of: "-"), let pid = Int32(rest[..<dash]), pid > 0 else { continue }
            let path = "/tmp/" + name
            var st = stat()
            guard lstat(path, &st) == 0, st.st_uid == geteuid(), st.st_mode & S_IFMT == S_IFDIR else { continue }
            if kill(pid, 0) == 0 || errno == EPERM { continue }
            close(path, environment: environment)
        }
    }
}

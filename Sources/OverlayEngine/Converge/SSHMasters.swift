import Foundation
import OverlayCore
import OverlayRuntime

/// The shared SSH connections of one converge: a private folder for their control sockets,
/// made when the run starts and closed and removed when it ends.
struct SSHMasters {
    /// The folder (`mkdtemp`: nobody else can have planted a socket in it; short, because
    /// socket paths are limited).
    let controlDir: String

    /// Makes the folder.
    static func open() throws(ConvergeError) -> SSHMasters {
        var template = Array("/tmp/overlay-ssh-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw .controlDirectory(errno: errno) }
        return SSHMasters(controlDir: String(cString: made))
    }

    /// `ssh -O exit` for each SSH host of the plan (a host never reached has none: harmless),
    /// then removes the folder.
    func close(plan: FleetPlan, environment: EngineEnvironment) {
        defer { try? FileManager.default.removeItem(atPath: controlDir) }
        guard let inventory = plan.inventory else { return }
        let targets = plan.hosts.compactMap { host -> SSHTarget? in
            if case .ssh(let t) = try? HostConnection.of(host: host, vars: inventory.vars(for: host)) { return t }
            return nil
        }
        let sockets = (try? FileManager.default.contentsOfDirectory(atPath: controlDir)) ?? []
        guard !sockets.isEmpty else { return }
        for target in targets {
            let args = target.arguments(controlDir: controlDir, control: "exit")
            var child = ChildProcess("/usr/bin/ssh", args, environment: environment.variables)
            child.timeout = .seconds(10)
            _ = try? child.run()
        }
    }
}

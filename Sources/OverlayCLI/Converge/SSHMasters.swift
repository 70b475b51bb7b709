import Foundation
import OverlayRuntime

/// The shared SSH connections a converge opened, closed when it ends.
enum SSHMasters {
    /// `ssh -O exit` for each SSH host of the plan (a host never reached has none: harmless).
    static func close(plan: FleetPlan, controlDir: String, environment: [String: String]) {
        guard let inventory = plan.inventory else { return }
        let targets = plan.hosts.compactMap { host -> SSHTarget? in
            if case .ssh(let t) = try? HostConnection.of(host: host, vars: inventory.vars(for: host)) { return t }
            return nil
        }
        let sockets = (try? FileManager.default.contentsOfDirectory(atPath: controlDir)) ?? []
        guard !sockets.isEmpty else { return }
        for target in targets {
            let args = target.arguments(controlDir: controlDir, control: "exit")
            var child = ChildProcess("/usr/bin/ssh", args, environment: environment)
            child.timeout = .seconds(10)
            _ = try? child.run()
        }
    }
}

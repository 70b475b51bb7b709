import Foundation

extension RenderSession {
    /// Folders every local user may write to on a Debian-like host. A heartbeat stamp there can
    /// be created first, faked or blocked by anyone logged in.
    static let worldWritableFolders = ["/tmp", "/var/tmp", "/dev/shm", "/run/shm", "/var/lock", "/run/lock"]

    /// Renders the deadman block.
    mutating func renderDeadman() -> RenderedDeadman? {
        guard let node = spec.deadman else { return nil }
        guard node.pairs != nil else {
            error(node, "playbook.syntax", "'deadman' must be a mapping (stamp, max_age, every, restart, max_retries, rollback)")
            return nil
        }
        func required(_ key: String) -> Node? {
            if let v = node[key] { return v }
            error(node, "playbook.syntax", "deadman needs '\(key)'")
            return nil
        }
        let stampNode = required("stamp")
        let stamp = stampNode.flatMap { path($0, what: "deadman stamp") }
        let restart = required("restart").flatMap { commandText($0, what: "deadman restart") }
        let alert = node["alert"].flatMap { commandText($0, what: "deadman alert") }
        let maxAge = duration(node["max_age"], key: "max_age", default: 180)
        var every = duration(node["every"], key: "every", default: 60)
        var retries = 3
        if let r = node["max_retries"] {
            if case .int(let i) = r.value, i >= 0, i <= 100 {
                retries = i
            } else {
                error(r, "playbook.syntax", "max_retries must be a whole number from 0 to 100")
            }
        }
        var rollback = true
        if let r = node["rollback"] {
            if case .bool(let b) = r.value { rollback = b } else { error(r, "playbook.syntax", "rollback must be true or false") }
        }
        if let seconds = every, CronSchedule.expression(everySeconds: seconds) == nil {
            error(
                node["every"] ?? node, "playbook.deadman-every",
                "deadman every (\(seconds) s) is not a period cron can keep: use whole minutes that divide an hour (1m, 2m, 3m, 4m, 5m, 6m, 10m, 12m, 15m, 20m, 30m), whole hours that divide a day (1h, 2h, 3h, 4h, 6h, 8h, 12h), 1d or 7d"
            )
            every = nil
        }
        if let stamp, let stampNode { warnAboutSharedFolder(stamp, node: stampNode) }
        guard let stamp, let restart, let maxAge, let every else { return nil }
        return RenderedDeadman(
            stamp: stamp, maxAge: maxAge, every: every, restart: restart, maxRetries: retries, rollback: rollback, alert: alert)
    }

    /// A stamp any local user can write is a heartbeat any local user can fake or block.
    private mutating func warnAboutSharedFolder(_ stamp: String, node: Node) {
        guard let folder = Self.worldWritableFolders.first(where: { HomePath.isInside(stamp, $0) }) else { return }
        warning(
            node, "playbook.stamp-world-writable",
            "deadman stamp '\(environment.shown(stamp))' is in \(folder), a folder every local user can write: any of them could fake the agent's heartbeat or block it; put the stamp under the agent's home or overlay's state dir, e.g. \"{{ hermes_home }}/heartbeat.stamp\""
        )
    }
}

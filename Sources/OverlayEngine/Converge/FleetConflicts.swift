import Foundation
import OverlayCore

/// Hosts of one converge that would undo each other: they share a state dir, or one's home
/// is inside (or is) another's, on the same machine. Each of them fails with the reason
/// before anything is applied. Local hosts share this machine; SSH hosts share a machine
/// when they share an address, port and user.
enum FleetConflicts {
    /// The reason for each host that conflicts with another.
    static func find(
        _ hosts: [String], inventory: Inventory, environment: EngineEnvironment, managedScope: Bool = false
    ) -> [String: String] {
        var places: [Place] = []
        for host in hosts {
            let vars = inventory.vars(for: host)
            // The harness's managed scope is one folder per machine (`managed_dir`, default /etc/hermes).
            let declared = vars["managed_dir"]?.stringValue
            switch try? HostConnection.of(host: host, vars: vars) {
            case .local:
                let home = RenderEnvironment.local(hostVars: vars, processEnvironment: environment.variables).home
                let state = StateLocation.forHost(vars: vars, environment: environment).path
                let managed = declared ?? RenderEnvironment.managedDirOverride(environment.variables) ?? "/etc/hermes"
                places.append(
                    Place(
                        host: host, machine: "this machine", home: home, stateDir: state, managedDir: managedScope ? managed : nil,
                        where: Self.onDisk))
            case .ssh(let target):
                // Before connecting, `~` stands for the remote user's home.
                let home = vars["overlay_home"]?.stringValue ?? "~"
                places.append(
                    Place(
                        host: host, machine: target.shown, home: home, stateDir: SSHHostConverge.stateDir(vars: vars, home: home),
                        managedDir: managedScope ? declared ?? "/etc/hermes" : nil, where: { HomePath.normalize($0) ?? $0 }))
            case nil:
                continue
            }
        }
        var out: [String: String] = [:]
        for names in Dictionary(grouping: places, by: { "\($0.machine)|\($0.stateKey)" }).values where names.count > 1 {
            let list = names.map(\.host).joined(separator: ", ")
            for place in names {
                out[place.host] =
                    "hosts \(list) share the state dir \(place.stateDir) on \(place.machine); give each its own overlay_state_dir (and overlay_home)"
            }
        }
        for names in Dictionary(grouping: places.filter { $0.managedDir != nil }, by: { "\($0.machine)|\($0.managedKey ?? "")" }).values
        where names.count > 1 {
            let list = names.map(\.host).joined(separator: ", ")
            for place in names where out[place.host] == nil {
                out[place.host] =
                    "hosts \(list) share the harness's managed scope \(place.managedDir ?? "") on \(place.machine): each would overwrite the other's policy; give each its own managed_dir (and run its agent with HERMES_MANAGED_DIR set to it)"
            }
        }
        for group in Dictionary(grouping: places, by: \.machine).values where group.count > 1 {
            // Each home's hosts, in order: a home is looked up by its own ancestors, not
            // compared with every other home (1,000 hosts: 1,000 × depth, not 1,000²).
            var byHome: [String: [Int]] = [:]
            for (index, place) in group.enumerated() { byHome[place.homeKey, default: []].append(index) }
            for (index, a) in group.enumerated() where out[a.host] == nil {
                let other = Self.containing(a.homeKey).compactMap { byHome[$0]?.first { $0 != index } }.min()
                guard let other else { continue }
                let b = group[other]
                let relation = a.homeKey == b.homeKey ? "is the same as" : "is inside"
                let reason =
                    "host \(a.host)'s home \(a.home) \(relation) host \(b.host)'s home \(b.home) on \(a.machine): their files would mix; give each its own overlay_home"
                out[a.host] = reason
                if out[b.host] == nil { out[b.host] = reason }
            }
        }
        return out
    }

    /// Every `dir` for which `HomePath.isInside(path, dir)` holds: the path itself and each of
    /// its prefixes that ends at a `/` (with the slash and without).
    static func containing(_ path: String) -> [String] {
        var out = [path]
        let bytes = Array(path.utf8)
        for (i, b) in bytes.enumerated() where b == UInt8(ascii: "/") {
            if i > 0 { out.append(String(decoding: bytes[..<i], as: UTF8.self)) }
            out.append(String(decoding: bytes[...i], as: UTF8.self))
        }
        return out
    }

    /// Where a local path really is: `.`, `..` and `//` resolved, and the symlinks of the part
    /// that exists followed (`/srv/w` → `/data/w`), so that two spellings of one folder — or a
    /// symlink to it — compare equal. A relative path stays as it is.
    static func onDisk(_ path: String) -> String {
        guard let normal = HomePath.normalize(path) else { return path }
        var existing = normal
        var rest: [Substring] = []
        while true {
            if let real = realpath(existing, nil) {
                defer { free(real) }
                let base = String(cString: real)
                guard !rest.isEmpty else { return base }
                return (base == "/" ? "" : base) + "/" + rest.reversed().joined(separator: "/")
            }
            guard existing != "/", let slash = existing.lastIndex(of: "/") else { return normal }
            rest.append(existing[existing.index(after: slash)...])
            existing = slash == existing.startIndex ? "/" : String(existing[..<slash])
        }
    }

    private struct Place {
        var host: String
        var machine: String
        /// As the inventory gives them (for messages).
        var home: String
        var stateDir: String
        var managedDir: String?
        /// As compared: where they are on that machine.
        var homeKey: String
        var stateKey: String
        var managedKey: String?

        init(host: String, machine: String, home: String, stateDir: String, managedDir: String?, where place: (String) -> String) {
            self.host = host
            self.machine = machine
            self.home = home
            self.stateDir = stateDir
            self.managedDir = managedDir
            homeKey = place(home)
            stateKey = place(stateDir)
            managedKey = managedDir.map(place)
        }
    }
}

import Foundation

/// An Ansible-style YAML inventory: hosts, groups and each host's resolved variables.
///
/// STUB (to be replaced by the inventory issue): reads inline vars of `all` and of
/// hosts only, and matches patterns by host name, group name or `all`.
public struct Inventory: Sendable {
    /// Where the example repo keeps its inventory.
    public static let defaultPath = "inventory/hosts.yml"

    /// Host names in inventory order.
    public private(set) var hostNames: [String] = []
    private var hostVars: [String: [(String, Value)]] = [:]
    private var groupHosts: [String: [String]] = [:]
    /// Problems found while reading the inventory.
    public private(set) var diagnostics: [Diagnostic] = []

    /// The inventory of a loaded repo (nil when it has none).
    public static func find(in repo: LoadedRepo) -> Inventory? {
        for path in [defaultPath, "inventory/hosts.yaml"] {
            if let doc = repo[path], let root = doc.root { return Inventory(root: root, file: path) }
        }
        return nil
    }

    /// Reads an inventory file outside a repo (for `-i FILE`).
    public static func load(file: URL) -> (Inventory?, [Diagnostic]) {
        let doc = DocumentLoader().load(url: file, path: file.path)
        guard let root = doc.root else { return (nil, doc.diagnostics) }
        let inv = Inventory(root: root, file: file.path)
        return (inv, doc.diagnostics + inv.diagnostics)
    }

    init(root: Node, file: String) {
        var allVars: [(String, Value)] = []
        func walk(group: String, node: Node) {
            if let vars = node["vars"], case .object(let pairs) = vars.value, group == "all" { allVars = pairs }
            for pair in node["hosts"]?.pairs ?? [] {
                let name = pair.key.value.keyString
                if hostVars[name] == nil {
                    hostNames.append(name)
                    hostVars[name] = []
                }
                if case .object(let v) = pair.value.value { hostVars[name, default: []] += v }
                groupHosts[group, default: []].append(name)
            }
            for child in node["children"]?.pairs ?? [] {
                walk(group: child.key.value.keyString, node: child.value)
            }
        }
        if let all = root["all"] { walk(group: "all", node: all) }
        for name in hostNames { hostVars[name] = allVars + (hostVars[name] ?? []) }
    }

    /// The resolved variables of `host` (an object), with `inventory_hostname`.
    public func vars(for host: String) -> Value {
        var out: [(String, Value)] = []
        for (k, v) in hostVars[host] ?? [] {
            if let i = out.firstIndex(where: { $0.0 == k }) { out[i].1 = v } else { out.append((k, v)) }
        }
        out.append(("inventory_hostname", .string(host)))
        return .object(out)
    }

    /// Hosts matched by an Ansible host pattern, in inventory order.
    public func hosts(matching pattern: String) -> [String] {
        if pattern == "all" || pattern == "*" { return hostNames }
        if let members = groupHosts[pattern] { return hostNames.filter(members.contains) }
        return hostNames.filter { $0 == pattern }
    }
}

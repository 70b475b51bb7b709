import Foundation

/// A fleet inventory for the bundled example overlay, in a temp folder: each host gets its
/// own home, state dir and crontab file under it, and the example's group and host vars.
struct ConvergeFleet {
    let root: URL
    var inventory: String { root.path + "/fleet/hosts.yml" }
    var env: [String: String] { ["OVERLAY_SECRETS_DIR": root.path + "/secrets", "HOME": root.path + "/controller"] }

    init() throws {
        root = try makeTempDir("overlay-converge")
        let fm = FileManager.default
        for dir in ["fleet/group_vars", "fleet/host_vars", "secrets", "controller"] {
            try fm.createDirectory(atPath: root.path + "/" + dir, withIntermediateDirectories: true)
        }
        let repo = PackagePaths.root.path + "/inventory/"
        for file in ["group_vars/all.yml", "group_vars/wizards.yml", "host_vars/timmy.yml", "host_vars/ezra.yml"] {
            try fm.copyItem(atPath: repo + file, toPath: root.path + "/fleet/" + file)
        }
        try "local-test-key\n".write(toFile: root.path + "/secrets/MODEL_API_KEY", atomically: true, encoding: .utf8)
    }

    func cleanup() { try? FileManager.default.removeItem(at: root) }

    func home(_ host: String) -> String { root.path + "/homes/" + host }
    func state(_ host: String) -> String { root.path + "/state/" + host }
    func crontab(_ host: String) -> String { root.path + "/crontab-" + host }
    /// The host's managed scope (the harness's /etc/hermes, in the sandbox).
    func managed(_ host: String) -> String { root.path + "/managed/" + host }

    /// The inline vars that keep a host inside the fleet folder (`local` unless `extra` names
    /// an `ansible_host`). `extra` values are YAML as written (`"[anthropic]"`, `"'2222'"`).
    func sandboxVars(_ host: String, _ extra: [String: String] = [:]) -> String {
        var vars = [
            "overlay_home": quoted(home(host)), "overlay_state_dir": quoted(state(host)),
            "overlay_crontab": quoted("file:" + crontab(host)), "managed_dir": quoted(managed(host)),
        ]
        if extra["ansible_connection"] == nil && extra["ansible_host"] == nil { vars["ansible_connection"] = "local" }
        for (k, v) in extra { vars[k] = v }
        return inline(vars)
    }

    /// Inline host vars (name → YAML value) as `writeInventory` takes them.
    func inline(_ vars: [String: String]) -> String {
        vars.keys.sorted().map { "          \($0): \(vars[$0] ?? "")" }.joined(separator: "\n")
    }

    /// A YAML double-quoted string.
    func quoted(_ text: String) -> String { "\"" + text.replacingOccurrences(of: "\"", with: "\\\"") + "\"" }

    /// Writes `fleet/hosts.yml` with the `wizards` group holding `hosts` (name → inline vars YAML).
    func writeInventory(_ hosts: [(String, String)]) throws {
        var text = "all:\n  children:\n    wizards:\n      hosts:\n"
        for (name, vars) in hosts { text += "        \(name):\n\(vars)\n" }
        try text.write(toFile: inventory, atomically: true, encoding: .utf8)
    }

    /// Writes an inventory of `count` local wizards — timmy, ezra (the example's), then w2, w3, …
    /// with the vars the example's templates need — each in its own sandbox.
    func writeLocalWizards(_ count: Int) throws {
        let extra = ["golden_state_providers": "[custom, llamacpp]", "model_base_url": "\"http://127.0.0.1:8080/v1\""]
        try writeInventory(
            (0..<count).map { i in
                let name = i == 0 ? "timmy" : i == 1 ? "ezra" : "w\(i)"
                return (name, sandboxVars(name, i < 2 ? [:] : extra.merging(["wizard_name": name]) { $1 }))
            })
    }

    /// Makes `host`'s own vars (its host_vars file) list a provider the example policy bans.
    func banProvider(for host: String) throws {
        let path = root.path + "/fleet/host_vars/\(host).yml"
        var text = try String(contentsOfFile: path, encoding: .utf8)
        text = text.split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.hasPrefix("golden_state_providers:") ? "golden_state_providers: [custom, anthropic]" : String($0) }
            .joined(separator: "\n")
        try text.write(toFile: path, atomically: true, encoding: .utf8)
    }

    /// `overlay converge` of the example repo with this fleet's inventory.
    func converge(_ extra: [String] = []) throws -> OverlayResult {
        try runOverlay(["converge", "--root", PackagePaths.root.path, "-i", inventory] + extra, env: env)
    }

    /// `last_converge` of `overlay status --format json` for a host's state dir.
    func lastConverge(_ host: String) throws -> [String: Any]? {
        let r = try runOverlay(
            ["status", "--root", root.path, "--format", "json"], env: ["OVERLAY_STATE_DIR": state(host), "HOME": home(host)])
        return r.json["last_converge"] as? [String: Any]
    }

    /// The name of the generation `current` points to on a host, nil when none.
    func liveGeneration(_ host: String) -> String? {
        try? FileManager.default.destinationOfSymbolicLink(atPath: state(host) + "/current")
    }
}

import Foundation
import OverlayCore
import OverlayEngine
import OverlayRuntime

/// A small overlay repo and a fleet of local hosts in a temporary folder: each host has its
/// own home, state dir and crontab file, so the engine can apply and converge them for real.
struct EngineFleet {
    let root: URL
    var repo: URL { root.appendingPathComponent("repo") }
    let clock = ManualClock(Date(timeIntervalSince1970: 1_800_000_000))

    /// A fleet of `hosts` local hosts (`h0001`, …), the golden state managing `agent.yaml`
    /// (its text is `content`), one cron job and a handler that appends to a log.
    init(hosts: Int = 3, content: String = "version: 1\n") throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("overlay-engine-\(UUID().uuidString)")
        let policy = PackagePaths.fixtures.appendingPathComponent("valid/minimal/policy")
        try FileManager.default.createDirectory(at: repo, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: policy, to: repo.appendingPathComponent("policy"))
        try write("SOUL.md", "# Soul\n\nThe fleet's identity.\n")
        try write("config.yaml", "model:\n  default: local-model\n  provider: custom\n")
        try write("agent.yaml", content)
        try write(
            "cron/definitions.yaml",
            "jobs:\n  - name: heartbeat\n    schedule: \"*/5 * * * *\"\n    command: \"echo {{ inventory_hostname }}\"\n")
        try write(
            "playbooks/site.yaml",
            """
            hosts: all
            homes:
              agent: "{{ agent_home }}"
            files:
              - {src: agent.yaml, dest: "{{ agent_home }}/agent.yaml"}
            providers: "{{ golden_state_providers }}"
            cron: [cron/definitions.yaml]
            handlers:
              note-change:
                run: "echo changed >> {{ agent_home }}/handler.log"
                on_change: ["{{ agent_home }}/agent.yaml"]

            """)
        try writeInventory(count: hosts)
    }

    func cleanup() { try? FileManager.default.removeItem(at: root) }

    func host(_ i: Int) -> String { String(format: "h%04d", i) }
    func home(_ host: String) -> String { root.path + "/homes/" + host }
    func state(_ host: String) -> StateDirectory { StateDirectory(path: root.path + "/state/" + host) }
    func crontab(_ host: String) -> String { root.path + "/crontab-" + host }

    /// Writes the inventory: `count` local hosts; `extra` holds inline YAML var lines per host
    /// (`"      key: value\n"`), which replace the defaults of the same keys.
    func writeInventory(count: Int, extra: [String: String] = [:]) throws {
        var text = "all:\n  vars:\n    golden_state_providers: [custom]\n  hosts:\n"
        for i in 1...count {
            let name = host(i)
            let more = extra[name] ?? ""
            let overridden = Set(
                more.split(separator: "\n").compactMap { $0.split(separator: ":").first }.map {
                    $0.trimmingCharacters(in: .whitespaces)
                })
            let defaults = [
                ("ansible_connection", "local"), ("agent_home", "\"\(home(name))\""), ("overlay_home", "\"\(home(name))\""),
                ("overlay_state_dir", "\"\(state(name).path)\""), ("overlay_crontab", "\"file:\(crontab(name))\""),
            ]
            text += "    \(name):\n"
            for (key, value) in defaults where !overridden.contains(key) { text += "      \(key): \(value)\n" }
            text += more
        }
        try write("inventory/hosts.yml", text)
    }

    /// Writes a repo file.
    func write(_ path: String, _ text: String) throws {
        let url = repo.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
    }

    /// An engine whose environment points into the fleet folder (no real home is touched).
    var engine: Engine {
        let env = [
            "HOME": root.path + "/controller", "OVERLAY_SECRETS_DIR": root.path + "/secrets",
            "OVERLAY_STATE_DIR": root.path + "/state/default", "PATH": "/usr/bin:/bin",
        ]
        return Engine(environment: EngineEnvironment(variables: env, hostName: "engine-test-machine", clock: clock))
    }

    var source: RepoSource { RepoSource(root: repo) }

    /// The text of a managed file as the home shows it.
    func read(_ host: String, _ file: String = "agent.yaml") -> String? {
        try? String(contentsOfFile: home(host) + "/" + file, encoding: .utf8)
    }
}

/// Paths of the package under test.
enum PackagePaths {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static var fixtures: URL { root.appendingPathComponent("Tests/Fixtures") }
}

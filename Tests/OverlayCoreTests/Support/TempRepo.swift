import Foundation

@testable import OverlayCore

/// A throwaway overlay repo on disk, built from inline files.
struct TempRepo {
    let root: URL

    /// Writes `files` (relative path → text) into a fresh temporary folder.
    init(_ files: [String: String]) throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("overlay-repo-\(UUID().uuidString)")
        for (path, text) in files { try write(path, text) }
    }

    /// Writes one more file.
    func write(_ path: String, _ text: String) throws {
        try write(path, Data(text.utf8))
    }

    /// Writes raw bytes.
    func write(_ path: String, _ data: Data) throws {
        let url = root.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try data.write(to: url)
    }

    /// Runs every check.
    func validate() -> ValidationReport { Validator().validate(root: root) }

    /// Diagnostics with `rule`.
    func diagnostics(_ rule: String) -> [Diagnostic] { validate().diagnostics.filter { $0.rule == rule } }

    func remove() { try? FileManager.default.removeItem(at: root) }
}

/// A minimal, valid repo: policy, soul, inventory with inline vars, golden state.
enum MinimalRepo {
    static let policy = """
        banned_providers:
          - name: anthropic
            patterns: [anthropic, claude]
            reason: closed frontier provider
        allowed_remote_hosts: [models.example.org]
        known_tts_providers: [piper, neutts, kittentts]
        known_stt_providers: [local]
        scan:
          include: ["**/*.yaml", "**/*.yml", "**/*.json", "**/*.md", "**/*.sh"]
          exclude: ["policy/**"]

        """

    static let inventory = """
        all:
          vars:
            hermes_home: /srv/agent/.hermes
            timmy_home: /srv/agent/.timmy
            wizard_name: timmy
            golden_state_providers: [custom]
          hosts:
            timmy:
              ansible_connection: local

        """

    static let site = """
        hosts: all
        homes:
          hermes: "{{ hermes_home }}"
          timmy: "{{ timmy_home }}"
        protected:
          - "{{ hermes_home }}/hermes-agent"
        files:
          - {src: SOUL.md, dest: "{{ timmy_home }}/SOUL.md"}
        providers: "{{ golden_state_providers }}"

        """

    static var files: [String: String] {
        [
            "policy/providers.yaml": policy, "SOUL.md": "# Soul\nI keep my word.\n",
            "inventory/hosts.yml": inventory, "playbooks/site.yaml": site,
        ]
    }
}

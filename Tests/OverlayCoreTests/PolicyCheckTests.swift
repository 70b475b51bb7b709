import Foundation
import Testing

@testable import OverlayCore

@Suite struct PolicyCheckTests {
    func check(config: String, extra: [String: String] = [:]) throws -> [Diagnostic] {
        var files = MinimalRepo.files
        files["config.yaml"] = config
        for (k, v) in extra { files[k] = v }
        let repo = try TempRepo(files)
        defer { repo.remove() }
        return repo.validate().diagnostics
    }

    @Test func bannedModelNameIsLocatedAtTheValue() throws {
        let d = try check(config: "model:\n  default: anthropic/claude-opus-4.6\n  provider: custom\n")
        let hit = d.filter { $0.rule == "policy.banned-provider" }
        #expect(hit.count == 1, "the text scan must not repeat the structural finding")
        #expect(hit.first?.file == "config.yaml")
        #expect(hit.first?.line == 2 && hit.first?.column == 12)
        #expect(hit.first?.message.contains("policy/providers.yaml:2") == true)
    }

    @Test func bannedProviderKeyAnywhere() throws {
        let d = try check(config: "auxiliary:\n  vision:\n    provider: Anthropic\n")
        let hit = d.filter { $0.rule == "policy.banned-provider" }
        #expect(hit.map(\.line) == [3])
        #expect(hit.first?.column == 15)
    }

    @Test func wholeWordsOnly() throws {
        let d = try check(config: "display:\n  skin: claudette\n", extra: ["notes/a.md": "We like claudette and anthropics.\n"])
        #expect(d.filter { $0.rule == "policy.banned-provider" }.isEmpty)
    }

    @Test func textScanFindsMentionsInScannedFiles() throws {
        let d = try check(config: "{}\n", extra: ["scripts/run.sh": "#!/bin/sh\n# fall back to Claude\n", "policy/notes.md": "claude\n"])
        let hit = d.filter { $0.rule == "policy.banned-provider" }
        #expect(hit.map(\.file) == ["scripts/run.sh"], "policy/** is excluded by the scan settings")
        #expect(hit.first?.line == 2 && hit.first?.column == 16)
    }

    @Test func textScanReportsEachBannedProviderOnALine() throws {
        let policy = """
            banned_providers:
              - {name: anthropic, patterns: [anthropic, claude]}
              - {name: openai}

            """
        let notes = "We never use Claude here. Also OpenAI.\nNot claude, not Anthropic.\n"
        let d = try check(config: "{}\n", extra: ["policy/providers.yaml": policy, "notes/a.md": notes])
        let hit = d.filter { $0.rule == "policy.banned-provider" }
        #expect(hit.map { "\($0.file):\($0.line):\($0.column)" } == ["notes/a.md:1:14", "notes/a.md:1:32", "notes/a.md:2:5"])
        #expect(hit.map { $0.message.contains("'openai'") } == [false, true, false])
    }

    @Test func missingPolicyFileIsAnErrorAtItsPath() throws {
        var files = MinimalRepo.files
        files["policy/providers.yaml"] = nil
        files["notes/a.md"] = "We fall back to Claude.\n"
        let repo = try TempRepo(files)
        defer { repo.remove() }
        let errors = repo.validate().diagnostics.filter { $0.severity == .error }
        #expect(errors.map { "\($0.rule) \($0.file):\($0.line):\($0.column)" } == ["policy.missing policy/providers.yaml:1:1"])
        #expect(errors.first?.message.contains("banned providers") == true)
    }

    @Test func brokenPolicyFileIsNotReportedAsMissing() throws {
        let d = try check(config: "{}\n", extra: ["policy/providers.yaml": "banned_providers: [anthropic\n"])
        #expect(d.map(\.rule).contains("yaml.syntax"))
        #expect(!d.map(\.rule).contains("policy.missing"))
    }

    @Test func remoteBaseURLIsAnErrorUnlessPrivateOrAllowed() throws {
        let config = """
            model:
              base_url: https://api.remote-llm.com/v1
            providers:
              a: {base_url: "http://10.1.2.3:8080/v1"}
              b: {base_url: "http://[fd00::1]:8080"}
              c: {base_url: "https://models.example.org/v1"}
              d: {base_url: "http://172.32.0.1/v1"}
              e: {base_url: "${LOCAL_URL}"}

            """
        let d = try check(config: config).filter { $0.rule == "policy.remote-base-url" }
        #expect(d.map(\.line) == [2, 7])
        #expect(d.first?.message.contains("api.remote-llm.com") == true)
    }

    @Test func unknownSpeechEngines() throws {
        let d = try check(config: "tts:\n  provider: edge\nstt:\n  provider: local\n")
        #expect(d.filter { $0.rule == "policy.unknown-tts-provider" }.map(\.line) == [2])
        #expect(d.filter { $0.rule == "policy.unknown-stt-provider" }.isEmpty)
    }

    @Test func literalSecretsButNotReferences() throws {
        let config = """
            model:
              api_key: ${MODEL_API_KEY}
            providers:
              a: {key_env: A_KEY, api_key: hunter2hunter2}
              b: {key_cmd: "pass show b"}
            terminal:
              docker_image: sk-abcdefghijklmnopqrstu1234567890

            """
        let d = try check(config: config).filter { $0.rule == "policy.plaintext-secret" }
        #expect(d.map(\.line) == [4, 7])
    }

    @Test func tokensInOtherFilesToo() throws {
        let d = try check(
            config: "{}\n", extra: ["inventory/group_vars/all.yml": "gitea_token: 3f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a\n"])
        #expect(d.filter { $0.rule == "policy.plaintext-secret" }.map(\.file) == ["inventory/group_vars/all.yml"])
    }

    /// An `sk-` key of 40 letters and digits, written out nowhere else.
    static let key = "sk-" + String(repeating: "a1B2c3D4e5", count: 4)

    /// The minimal golden state plus one more `files:` entry.
    static func site(adding entry: String) -> String {
        let site = MinimalRepo.files["playbooks/site.yaml"] ?? ""
        return site.replacingOccurrences(of: "providers:", with: "  - \(entry)\nproviders:")
    }

    func secrets(_ d: [Diagnostic]) -> [String] {
        d.filter { $0.rule == "policy.plaintext-secret" }.map { "\($0.file):\($0.line):\($0.column)" }
    }

    @Test func tokenInMarkdownIsReportedAtItsColumn() throws {
        let d = try check(config: "{}\n", extra: ["SOUL.md": "# Soul\nI keep my word, and my key: \(Self.key).\n"])
        #expect(secrets(d) == ["SOUL.md:2:29"])
    }

    @Test func tokenAssignedInAShellScriptIsReportedAtTheToken() throws {
        let d = try check(config: "{}\n", extra: ["scripts/run.sh": "#!/bin/sh\nexport OPENAI_API_KEY=\(Self.key)\n"])
        #expect(secrets(d) == ["scripts/run.sh:2:23"])
    }

    @Test func referencesInTextAreNotSecrets() throws {
        let script = """
            #!/bin/sh
            curl -H "Authorization: Bearer ${TOKEN_FOR_THE_PRODUCTION_CLUSTER_2024_0001}" \\
              -d "$PAYLOAD_FOR_THE_PRODUCTION_CLUSTER_2024_0001" http://127.0.0.1:8080
            echo "${secret:KEY_FOR_THE_PRODUCTION_CLUSTER_2024_0001}"

            """
        let notes = "Rendered as {{ key_for_the_production_cluster_2024_0001 }} on each host.\n"
        let d = try check(config: "{}\n", extra: ["scripts/run.sh": script, "notes/a.md": notes])
        #expect(secrets(d).isEmpty)
    }

    @Test func copiedYAMLFileIsCheckedForSecretNamedKeys() throws {
        let entry = #"{src: extra.yaml, dest: "{{ hermes_home }}/extra.yaml"}"#
        let d = try check(
            config: "{}\n", extra: ["playbooks/site.yaml": Self.site(adding: entry), "extra.yaml": "db:\n  password: hunter2hunter2\n"])
        #expect(secrets(d) == ["extra.yaml:2:13"])
    }

    @Test func tokenInACopiedJSONFileIsReportedOnce() throws {
        let entry = #"{src: channel_directory.json, dest: "{{ hermes_home }}/channel_directory.json"}"#
        let json = "{\n  \"api_key\": \"\(Self.key)\"\n}\n"
        let d = try check(config: "{}\n", extra: ["playbooks/site.yaml": Self.site(adding: entry), "channel_directory.json": json])
        #expect(secrets(d) == ["channel_directory.json:2:14"])
    }

    @Test func templateLiteralIsReportedOnceAndItsCommentsToo() throws {
        let entry = #"{template: playbooks/templates/p.yaml, dest: "{{ hermes_home }}/p.yaml"}"#
        let template = "# old key: \(Self.key)\nproviders:\n  local:\n    api_key: \"\(Self.key)\"\n"
        let d = try check(
            config: "{}\n", extra: ["playbooks/site.yaml": Self.site(adding: entry), "playbooks/templates/p.yaml": template])
        #expect(secrets(d) == ["playbooks/templates/p.yaml:1:12", "playbooks/templates/p.yaml:4:14"])
    }
}

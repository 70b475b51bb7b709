import Foundation
import Testing

@testable import OverlayCore

/// `managed:` (the harness's managed scope) and `create_only:` in the golden state: the rules of
/// docs/rules.md (`managed.*`, `playbook.create-only-link`) with inline YAML and their locations,
/// and what a host's render writes.
@Suite struct ManagedScopeRuleTests {
    static func site(_ managed: String, files extra: String = "") -> String {
        """
        hosts: all
        homes:
          hermes: "{{ hermes_home }}"
        files:
          - {src: config.yaml, dest: "{{ hermes_home }}/config.yaml"}
        \(extra)providers: "{{ golden_state_providers }}"
        managed:
        \(managed)
        """
    }

    static let config = """
        model:
          default: hermes-4-14b
          provider: custom
          base_url: http://127.0.0.1:8080/v1
        fallback_providers: [{provider: custom, model: small, base_url: "http://10.0.0.5:8080/v1"}]
        tts:
          provider: piper
        agent:
          max_turns: 90
        display:
          skin: mono

        """

    /// The example's schema (the minimal fixture's accepts anything).
    static var realSchema: String {
        let root = Fixtures.root.deletingLastPathComponent().deletingLastPathComponent()
        return (try? String(contentsOf: root.appendingPathComponent("policy/config.schema.json"), encoding: .utf8)) ?? ""
    }

    func repo(_ managed: String, files: String = "", vars: String = "", extra: [String: String] = [:]) throws -> TempRepo {
        var all = MinimalRepo.files
        all["playbooks/site.yaml"] = Self.site(managed, files: files)
        all["config.yaml"] = Self.config
        if !vars.isEmpty {
            all["inventory/hosts.yml"] = MinimalRepo.inventory.replacingOccurrences(
                of: "    wizard_name: timmy\n", with: "    wizard_name: timmy\n" + vars)
        }
        for (k, v) in extra { all[k] = v }
        return try TempRepo(all)
    }

    func diagnostics(_ managed: String, files: String = "", vars: String = "", extra: [String: String] = [:]) throws -> [Diagnostic] {
        let repo = try repo(managed, files: files, vars: vars, extra: extra)
        defer { repo.remove() }
        return repo.validate().diagnostics
    }

    /// Renders the repo for `timmy` as apply does (secrets from `secrets`).
    func render(_ managed: String, secrets: [String: String] = [:], managedDir: String? = nil) throws -> RenderedState {
        let repo = try repo(managed)
        defer { repo.remove() }
        let context = ValidationContext(repo: LoadedRepo(root: repo.root))
        let renderer = try #require(GoldenStateRenderer(context: context))
        var env = RenderEnvironment(
            home: "/home/timmy", secretsDir: "/nonexistent", environment: secrets.mapKeys { "OVERLAY_SECRET_" + $0 }, forApply: true)
        env.managedDir = managedDir
        return try renderer.render(host: "timmy", environment: env)
    }

    func text(_ state: RenderedState, _ dest: String) -> String? {
        state.files.first { $0.dest == dest }.map { String(decoding: $0.content, as: UTF8.self) }
    }

    @Test func thePolicyKeysArePinnedFromConfigYAMLWithTheListedOnesAndTheExplicitValues() throws {
        let state = try render(
            "  keys: [agent.max_turns]\n  config:\n    model:\n      base_url: \"http://127.0.0.1:8080/{{ wizard_name }}/v1\"\n")
        let config = try #require(text(state, "/etc/hermes/config.yaml"))
        #expect(config.hasPrefix("# The harness's managed scope for host timmy"))
        let body = config.split(separator: "\n").filter { !$0.hasPrefix("#") }.joined(separator: "\n")
        #expect(
            body == """
                model:
                  provider: "custom"
                  default: "hermes-4-14b"
                  base_url: "http://127.0.0.1:8080/timmy/v1"
                fallback_providers: [{provider: "custom", model: "small", base_url: "http://10.0.0.5:8080/v1"}]
                tts:
                  provider: "piper"
                agent:
                  max_turns: 90
                """, "\(body)")
        #expect(state.homes[RenderedManagedScope.homeName] == "/etc/hermes")
        let file = try #require(state.files.first { $0.dest == "/etc/hermes/config.yaml" })
        #expect(file.mode == 0o644 && !file.link && !file.createOnly)
        #expect(
            state.managedScope
                == RenderedManagedScope(dir: "/etc/hermes", group: nil, hermesHome: "/srv/agent/.hermes", lockConfig: false, hasEnv: false))
    }

    @Test func theEnvIsRenderedWithItsSecretGroupReadableAndRedacted() throws {
        let state = try render(
            "  env:\n    MODEL_API_KEY: \"${secret:KEY}\"\n    GREETING: \"hi {{ wizard_name }}, it's me\"\n  lock_config: true\n  group: agents\n",
            secrets: ["KEY": "s3cret-value"], managedDir: "/srv/policy")
        let env = try #require(state.files.first { $0.dest == "/srv/policy/.env" })
        let lines = String(decoding: env.content, as: UTF8.self).split(separator: "\n").filter { !$0.hasPrefix("#") }
        #expect(lines == ["MODEL_API_KEY=s3cret-value", #"GREETING='hi timmy, it\'s me'"#])
        #expect(env.containsSecret && env.groupReadable && env.mode == 0o640)
        #expect(env.redactedContent.map { String(decoding: $0, as: UTF8.self).contains("MODEL_API_KEY=<redacted>") } == true)
        #expect(state.files.contains { $0.dest == "/srv/agent/.hermes/.managed" && !$0.link })
        #expect(state.managedScope?.group == "agents" && state.managedScope?.lockConfig == true && state.managedScope?.hasEnv == true)
    }

    @Test func managedDirComesFromTheHostThenTheEnvironmentThenTheDefault() throws {
        #expect(try render("  keys: []\n", managedDir: "/run-here").managedScope?.dir == "/run-here")
        let repo = try repo("  keys: []\n", vars: "    managed_dir: /srv/hermes-policy\n")
        defer { repo.remove() }
        let renderer = try #require(GoldenStateRenderer(context: ValidationContext(repo: LoadedRepo(root: repo.root))))
        var env = RenderEnvironment(home: "/home/timmy", secretsDir: "/nonexistent", environment: [:], forApply: true)
        env.managedDir = "/ignored"
        #expect(try renderer.render(host: "timmy", environment: env).managedScope?.dir == "/srv/hermes-policy")
    }

    @Test func withoutAHermesHomeManagedIsAnError() throws {
        var files = MinimalRepo.files
        files["playbooks/site.yaml"] =
            MinimalRepo.files["playbooks/site.yaml"]?.replacingOccurrences(of: "  hermes: \"{{ hermes_home }}\"\n", with: "") ?? ""
        files["playbooks/site.yaml"]? += "managed:\n  keys: []\n"
        let repo = try TempRepo(files)
        defer { repo.remove() }
        let d = repo.diagnostics("managed.no-home")
        #expect(d.count == 1 && d.first?.line == 10 && d.first?.column == 3, "\(d)")
    }

    @Test func aManagedDirInsideAHomeOrASystemFolderIsRefused() throws {
        let inside = try diagnostics("  keys: []\n", vars: "    managed_dir: /srv/agent/.hermes/policy\n").filter {
            $0.rule == "managed.dir"
        }
        #expect(inside.count == 1 && inside.first?.line == 8, "\(inside)")
        #expect(inside.first?.message.contains("is inside home 'hermes'") == true, "\(inside)")
        let system = try diagnostics("  keys: []\n", vars: "    managed_dir: /etc\n").filter { $0.rule == "playbook.system-home" }
        #expect(system.count == 1 && system.first?.message.contains("managed scope") == true, "\(system)")
    }

    @Test func aListedKeyTheConfigDoesNotSetIsAnError() throws {
        let d = try diagnostics("  keys: [agent.max_turns, memory.memory_enabled, model..x]\n")
        let notSet = d.filter { $0.rule == "managed.key-not-set" }
        #expect(notSet.count == 1 && notSet.first?.line == 8 && notSet.first?.column == 27, "\(notSet)")
        #expect(d.contains { $0.rule == "playbook.syntax" && $0.message.contains("model..x") })
    }

    @Test func aValueTheUserConfigSetsOtherwiseIsAWarningThatTheManagedOneWins() throws {
        let d = try diagnostics("  config:\n    display:\n      skin: mono\n    agent:\n      max_turns: 40\n")
        let w = d.filter { $0.rule == "managed.overrides-user-config" }
        #expect(w.count == 1 && w.first?.severity == .warning && w.first?.line == 12 && w.first?.column == 18, "\(w)")
        #expect(w.first?.message.contains("agent.max_turns is 40 in the managed scope and 90 in") == true, "\(w)")
        #expect(w.first?.message.contains("the harness uses the managed value") == true)
    }

    @Test func theSchemaAndThePolicyHoldForTheManagedConfig() throws {
        let d = try diagnostics(
            """
              config:
                terminal:
                  backend: dokcer
                tts:
                  provider: edge
                model:
                  base_url: "{{ remote_url }}"
                  provider: "{{ banned }}"
            """, vars: "    remote_url: https://api.example.com/v1\n    banned: anthropic\n",
            extra: ["policy/config.schema.json": Self.realSchema])
        #expect(d.contains { $0.rule == "schema.enum" && $0.file == "playbooks/site.yaml" && $0.line == 10 }, "\(d)")
        #expect(d.contains { $0.rule == "policy.unknown-tts-provider" && $0.line == 12 }, "\(d)")
        #expect(d.contains { $0.rule == "policy.remote-base-url" && $0.line == 14 }, "\(d)")
        #expect(d.contains { $0.rule == "policy.banned-provider" && $0.line == 15 && $0.message.contains("managed scope") }, "\(d)")
    }

    @Test func aSecretInTheWorldReadableManagedConfigIsRefused() throws {
        let d = try diagnostics(
            "  config:\n    model:\n      api_key: \"${secret:KEY}\"\n      base_url: \"{{ hidden }}\"\n",
            vars: "    hidden: \"${secret:URL}\"\n")
        let refs = d.filter { $0.rule == "playbook.secret-reference" && $0.file == "playbooks/site.yaml" }
        #expect(refs.map(\.line) == [10, 11], "\(d)")
        #expect(refs.first?.message.contains("put the secret under managed.env") == true)
    }

    @Test func envNamesAndValuesALineCannotCarryAreErrors() throws {
        let d = try diagnostics("  env:\n    9LIVES: x\n    OK_NAME: \"a ${HOME} b\"\n    LINES: \"one\\ntwo\"\n")
        #expect(d.filter { $0.rule == "managed.env-name" }.map(\.line) == [9], "\(d)")
        #expect(d.filter { $0.rule == "managed.env-value" }.map(\.line) == [10, 11], "\(d)")
    }

    @Test func aCreateOnlyFileCannotBeLinked() throws {
        let d = try diagnostics(
            "  keys: []\n",
            files:
                "  - {src: SOUL.md, dest: \"{{ hermes_home }}/SOUL.md\", create_only: true, link: true}\n  - {src: SOUL.md, dest: \"{{ hermes_home }}/b.md\", create_only: yes please}\n"
        )
        let link = d.filter { $0.rule == "playbook.create-only-link" }
        #expect(link.count == 1 && link.first?.line == 6 && link.first?.column == 80, "\(link)")
        #expect(d.contains { $0.rule == "playbook.syntax" && $0.message.contains("'create_only' must be true or false") })
    }

    @Test func theExampleRepoIsCleanAndItsSoulLoads() {
        let root = Fixtures.root.deletingLastPathComponent().deletingLastPathComponent()
        let report = Validator().validate(root: root)
        #expect(report.diagnostics.isEmpty, "\(report.diagnostics)")
    }
}

extension Dictionary {
    fileprivate func mapKeys(_ transform: (Key) -> Key) -> [Key: Value] {
        Dictionary(uniqueKeysWithValues: map { (transform($0.key), $0.value) })
    }
}

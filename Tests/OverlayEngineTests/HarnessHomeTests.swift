import Foundation
import OverlayCore
import OverlayEngine
import OverlayRuntime
import TestSupport
import Testing

/// The example overlay applied by the engine into a home that the published harness
/// (hermes-agent 0.19.0, in the tests' cached venv) then reads: its identity, its channel names,
/// its managed scope, its memory, its service name (docs/harness.md).
@Suite(.serialized) struct HarnessHomeTests {
    struct Setup {
        var example: ExampleHome
        var harness: HermesHarness

        func hermes(_ args: [String]) throws -> HermesHarness.RunOutput {
            try harness.hermes(args, home: example.hermes, scratchHome: example.home, extra: example.harnessExtra)
        }

        func python(_ script: String) throws -> HermesHarness.RunOutput {
            try harness.python(script, home: example.hermes, scratchHome: example.home, extra: example.harnessExtra)
        }

        func cleanup() { example.cleanup() }
    }

    static func setup(copy: Bool = false) throws -> Setup {
        let (harness, skip) = try HermesHarness.shared()
        guard let harness else { try Test.cancel(Comment(rawValue: skip ?? "no harness")) }
        return Setup(example: try ExampleHome(copy: copy), harness: harness)
    }

    static func trimmed(_ s: String) -> String { s.trimmingCharacters(in: .whitespacesAndNewlines) }

    @Test func theHarnessLoadsTheFleetsSoulInsteadOfTheDefaultItSeeded() throws {
        let s = try Self.setup()
        defer { s.cleanup() }
        // The harness's first start on a fresh home seeds its default identity.
        #expect(try s.python("from hermes_cli.config import ensure_hermes_home; ensure_hermes_home()").status == 0)
        let seeded = try #require(s.example.read(s.example.hermes + "/SOUL.md"))
        #expect(seeded.hasPrefix("You are Hermes Agent"), "\(seeded.prefix(80))")

        let result = try s.example.apply()
        #expect(result.ok, "\(result.problems)")
        let item = result.report.plan.items.first { $0.path == s.example.hermes + "/SOUL.md" }
        #expect(item?.action == .backedUp, "replaced, not kept: \(String(describing: item))")
        let kept = s.example.read(s.example.state.generationPath(1) + "/backups/hermes/SOUL.md")
        #expect(kept == seeded, "the harness's default is kept in the generation")

        let fleetSoul = try String(contentsOf: PackagePaths.root.appendingPathComponent("SOUL.md"), encoding: .utf8)
        let script = "import sys\nfrom agent.prompt_builder import load_soul_md\nsys.stdout.write(load_soul_md() or '<none>')"
        let loaded = try s.python(script)
        #expect(loaded.stdout == Self.trimmed(fleetSoul), "load_soul_md: \(loaded.stdout.prefix(120)) \(loaded.stderr.suffix(300))")
        // A later start of the harness leaves the fleet's identity alone.
        #expect(try s.python("from hermes_cli.config import ensure_hermes_home; ensure_hermes_home()").status == 0)
        #expect(try s.python(script).stdout == Self.trimmed(fleetSoul))
    }

    @Test func aChannelAliasResolvesAndTheDirectoryTheHarnessRebuildsIsLeftAlone() throws {
        let s = try Self.setup()
        defer { s.cleanup() }
        #expect(try s.example.apply().ok)
        let resolved = try s.python(
            "from gateway.channel_directory import resolve_channel_name as r\nprint(r('telegram', 'fleet ops'), r('discord', '#fleet-alerts'))"
        )
        #expect(Self.trimmed(resolved.stdout) == "-1001234567890 1203040506070809101", "\(resolved.text)")

        // The harness rebuilds its directory (here from no live adapter: the aliases alone).
        let build = try s.python(
            "import asyncio\nfrom gateway.channel_directory import build_channel_directory\nasyncio.run(build_channel_directory({}))")
        #expect(build.status == 0, "\(build.text)")
        let directory = s.example.hermes + "/channel_directory.json"
        let rebuilt = try #require(s.example.read(directory))
        #expect(rebuilt.contains("Fleet ops"), "\(rebuilt)")

        let again = try s.example.apply()
        #expect(again.ok && !again.changed, "a re-apply changes nothing: \(again.report.plan.changes.map(\.path))")
        #expect(!again.report.plan.items.contains { $0.path == directory }, "overlay does not manage the directory")
        #expect(s.example.read(directory) == rebuilt, "the harness's directory is left as it wrote it")
    }

    @Test func theManagedScopeWinsOverTheUserConfigAndRefusesABannedProvider() throws {
        let s = try Self.setup()
        defer { s.cleanup() }
        #expect(try s.example.apply().ok)
        // The user's config says otherwise (a file of its own in place of overlay's link).
        let user = s.example.hermes + "/config.yaml"
        try FileManager.default.removeItem(atPath: user)
        try "model:\n  provider: openrouter\n  default: other/model\n".write(toFile: user, atomically: true, encoding: .utf8)

        let provider = try s.hermes(["config", "get", "model.provider"])
        #expect(provider.status == 0 && Self.trimmed(provider.stdout) == "custom", "\(provider.text)")
        let url = try s.hermes(["config", "get", "model.base_url"])
        #expect(Self.trimmed(url.stdout) == "http://127.0.0.1:8080/v1", "timmy's own endpoint: \(url.text)")
        let set = try s.hermes(["config", "set", "model.provider", "anthropic"])
        #expect(set.status != 0 && set.stderr.contains("managed by your administrator"), "\(set.text)")
        #expect(s.example.read(user)?.contains("anthropic") == false)
        let pinned = try s.hermes(["config", "set", "privacy.redact_pii", "false"])
        #expect(pinned.status != 0 && pinned.stderr.contains("managed by your administrator"), "keys: pins more: \(pinned.text)")

        // The managed .env is loaded last and wins; the managed config.yaml reads back as written.
        let env = try s.python("import os, hermes_cli.main\nprint(os.environ.get('MODEL_API_KEY'))")
        #expect(Self.trimmed(env.stdout) == "local-test-key", "\(env.text)")
        let parsed = try s.python(
            "import json, yaml, sys\nd = yaml.safe_load(open(sys.argv[1]))\nprint(json.dumps([d['model'], d['fallback_providers'], d['privacy'], d['tts']], sort_keys=True))"
                .replacingOccurrences(of: "sys.argv[1]", with: "'\(s.example.managed)/config.yaml'"))
        #expect(
            Self.trimmed(parsed.stdout)
                == #"[{"base_url": "http://127.0.0.1:8080/v1", "default": "hermes-4-70b", "provider": "custom"}, [{"base_url": "http://10.0.0.21:8080/v1", "model": "hermes-4-14b", "provider": "custom"}], {"redact_pii": true}, {"provider": "piper"}]"#,
            "\(parsed.text)")
    }

    @Test func withLockConfigTheHarnessRefusesEveryConfigWriteAndStillStarts() throws {
        let s = try Self.setup(copy: true)
        defer { s.cleanup() }
        let site = try #require(s.example.read(s.example.repo.path + "/playbooks/site.yaml"))
        try s.example.write("playbooks/site.yaml", site.replacingOccurrences(of: "managed:\n", with: "managed:\n  lock_config: true\n"))
        let result = try s.example.apply()
        #expect(result.ok, "\(result.problems)")
        #expect(result.report.plan.items.contains { $0.path == s.example.hermes + "/.managed" && $0.action == .created })

        let set = try s.hermes(["config", "set", "agent.max_turns", "5"])
        #expect(set.stderr.contains("Cannot set configuration values"), "\(set.text)")
        // It still starts: the folders a locked home must have are there.
        let get = try s.hermes(["config", "get", "agent.max_turns"])
        #expect(get.status == 0 && Self.trimmed(get.stdout) == "120", "\(get.text)")
    }

    @Test func theRestartsNameTheUnitTheHarnessInstalls() throws {
        let s = try Self.setup()
        defer { s.cleanup() }
        let target = try s.example.load()
        let service = try s.python("from hermes_cli.gateway import get_service_name\nprint(get_service_name())")
        let name = Self.trimmed(service.stdout)
        #expect(name == "hermes-gateway", "\(service.text)")
        #expect(
            target.state.deadman?.restart.hasSuffix("systemctl --user restart \(name)") == true,
            "\(String(describing: target.state.deadman))")
        let handler = target.state.handlers.first { $0.name == "restart-agent" }?.run ?? ""
        #expect(handler.contains("is-active --quiet \(name) ") && handler.contains("systemctl --user restart \(name);"), "\(handler)")
        // A profile home's unit, as group_vars/wizards.yml says.
        let profile = try s.harness.python(
            "from hermes_cli.gateway import get_service_name\nprint(get_service_name())", home: s.example.hermes + "/profiles/coder",
            scratchHome: s.example.home)
        #expect(Self.trimmed(profile.stdout) == "hermes-gateway-coder", "\(profile.text)")
    }

    @Test func theSeededMemoryIsTheAgentsToKeep() throws {
        let s = try Self.setup()
        defer { s.cleanup() }
        let first = try s.example.apply()
        #expect(first.createOnly?.items.map(\.action) == [.created], "\(String(describing: first.createOnly))")
        let add = try s.python(
            "from tools.memory_tool import MemoryStore\nm = MemoryStore()\nm.load_from_disk()\nprint(len(m.user_entries))\nprint(m.add('user', 'Prefers tea to coffee.')['success'])"
        )
        #expect(Self.trimmed(add.stdout) == "3\nTrue", "the harness reads the seed's entries and adds one: \(add.text)")
        let kept = try #require(s.example.read(s.example.hermes + "/memories/USER.md"))
        let again = try s.example.apply()
        #expect(again.ok && !again.changed, "\(again.report.plan.changes.map(\.path))")
        #expect(again.createOnly?.items.first?.action == .unchanged)
        #expect(s.example.read(s.example.hermes + "/memories/USER.md") == kept, "the agent's entry stays")
    }
}

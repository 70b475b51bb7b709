import Foundation
import Testing

@testable import OverlayCore

/// Unknown keys against the harness's key catalog: near misses are errors, other unknown keys
/// warnings, removed keys warnings naming the version, user-named maps unchecked.
@Suite struct SchemaHarnessKeyTests {
    static let schema = CompiledSchema(document: (try? packageDocument(SchemaCheck.schemaPath)) ?? parse("{}", path: "s.json"))

    func check(_ yaml: String) -> [Diagnostic] {
        SchemaCheck.validateHarnessConfig(parse(yaml, path: "config.yaml"), schema: Self.schema)
    }

    func shown(_ d: [Diagnostic]) -> [String] { d.map { "\($0.severity.rawValue) \($0.rule) \($0.line):\($0.column)" } }

    @Test func nearMissTyposAreErrorsAtEveryDepth() {
        let d = check(
            """
            memroy:
              memory_enabled: true
            agent:
              max_turn: 40
            auxiliary:
              vision:
                timout: 30
            tts:
              edge:
                voise: en-US-AriaNeural
            display:
              Busy-Input-Mode: queue

            """)
        #expect(
            shown(d) == [
                "error schema.unknown-key 1:1", "error schema.unknown-key 4:3", "error schema.unknown-key 7:5",
                "error schema.unknown-key 10:5", "error schema.unknown-key 12:3",
            ])
        let hints = ["'memory'", "'max_turns'", "'timeout'", "'voice'", "'busy_input_mode'"]
        for (diagnostic, hint) in zip(d, hints) { #expect(diagnostic.message.contains("did you mean \(hint)?"), "\(diagnostic)") }
        #expect(d[1].message.contains("unknown key 'max_turn' in 'agent' (agent.max_turn)"))
    }

    @Test func farUnknownKeysAreWarnings() {
        let d = check("agent:\n  totally_new_knob: 1\nmy_plugin:\n  enabled: true\n")
        #expect(shown(d) == ["warning schema.unknown-key 2:3", "warning schema.unknown-key 3:1"])
        #expect(d.first?.message.contains("the harness does not read it") == true)
        #expect(d.last?.message.contains("unknown top-level key 'my_plugin'") == true)
    }

    @Test func nothingBelowAnUnknownKeyIsReported() {
        #expect(shown(check("my_plugin:\n  memroy: 1\n  agent: {max_turn: 1}\n")) == ["warning schema.unknown-key 1:1"])
    }

    @Test func keysInsideListEntriesAreChecked() {
        let d = check("custom_providers:\n  - name: local\n    base_ulr: http://127.0.0.1:8080/v1\n")
        #expect(shown(d) == ["error schema.unknown-key 3:5"] && d.first?.message.contains("did you mean 'base_url'?") == true)
    }

    @Test func mapsOfUserChosenNamesAreNotChecked() {
        let d = check(
            """
            providers:
              my-llama: {base_url: "http://127.0.0.1:8080/v1", key_env: LLAMA_KEY}
            mcp_servers:
              memroy: {command: npx}
            platform_toolsets:
              my_platform: [web]
            model_aliases:
              fast: {model: hermes-4-14b}
            platforms:
              irc: {enabled: true, server: irc.example.org}
            moa:
              presets:
                deep: {enabled: true}
            personalities:
              pirate: Speak like a pirate.

            """)
        #expect(d.isEmpty, "\(d.map(\.description))")
    }

    @Test func shortKeysAreNeverNearMisses() {
        #expect(KeyNearMiss.closest("ttz", in: ["tts", "stt"]) == nil)
        #expect(KeyNearMiss.closest("tts", in: ["stt"]) == nil)
        #expect(KeyNearMiss.closest("TTS", in: ["tts"]) == "tts")
        #expect(KeyNearMiss.closest("memroy", in: ["memory", "model"]) == "memory")
        #expect(KeyNearMiss.closest("reasoning_efort", in: ["reasoning_effort"]) == "reasoning_effort")
        #expect(KeyNearMiss.closest("model", in: ["models", "mode"]) == "mode")
        #expect(KeyNearMiss.closest("verbosity", in: ["verbose"]) == nil)
    }

    @Test func bandedDistanceAgreesWithTheFullTable() {
        func full(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Int {
            var d = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
            for i in 0...a.count { d[i][0] = i }
            for j in 0...b.count { d[0][j] = j }
            for i in stride(from: 1, through: a.count, by: 1) {
                for j in stride(from: 1, through: b.count, by: 1) {
                    d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
                    if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] { d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1) }
                }
            }
            return d[a.count][b.count]
        }
        var seed: UInt64 = 42
        func next(_ n: Int) -> Int {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((seed >> 33) % UInt64(n))
        }
        let letters = Array("ab_c".unicodeScalars)
        for _ in 0..<2000 {
            let a = (0..<next(10)).map { _ in letters[next(4)] }
            let b = (0..<next(10)).map { _ in letters[next(4)] }
            for limit in 0...2 {
                #expect(KeyNearMiss.distance(a, b, limit: limit) == min(full(a, b), limit + 1), "\(a) \(b) \(limit)")
            }
        }
    }

    @Test func removedKeyWarnsNamingTheVersion() {
        let v45 = check("_config_version: 45\ncron:\n  model_drift_guard: true\n")
        #expect(shown(v45) == ["warning schema.removed-key 3:3"])
        #expect(v45.first?.message.contains("config version 42 (this file is at version 45)") == true)
        #expect(check("_config_version: 41\ncron:\n  model_drift_guard: true\n").isEmpty)
        let unversioned = check("security:\n  tirith_enabled: true\n")
        #expect(shown(unversioned) == ["warning schema.removed-key 2:3"])
        #expect(unversioned.first?.message.contains("config version 50") == true)
    }

    @Test func keysOfEveryReleaseAreKnownWhateverTheFileVersion() {
        // Added after version 33 (agent.agent_cache) and only in older releases (model_catalog.ttl_hours).
        #expect(check("_config_version: 33\nagent:\n  agent_cache: {max_size: 64}\nmodel_catalog:\n  ttl_hours: 1\n").isEmpty)
    }

    @Test func catalogIsBuiltInAndMatchesTheRepoCopy() throws {
        let catalog = HarnessKeyCatalog.harness
        #expect(catalog.keys.count > 1000)
        #expect(Set(catalog.snapshots.map(\.version)).isSuperset(of: [33, 45, 50]))
        #expect(catalog.newestVersion == 50)
        let repoCopy = try String(contentsOf: packageRoot.appendingPathComponent(SchemaCheck.catalogPath), encoding: .utf8)
        #expect(
            repoCopy == HarnessKeyData.json + "\n",
            "run scripts/harness-keys.py generate: the built-in copy differs from policy/harness-keys.json")
        for legacy in ["delegation.default_toolsets", "stt.model", "terminal.env_type", "session_reset", "reset_triggers"] {
            #expect(catalog.key(legacy) != nil, "\(legacy)")
        }
    }

    @Test func repoCatalogIsUsedAndABrokenOneIsReported() throws {
        let repo = try TempRepo(MinimalRepo.files)
        defer { repo.remove() }
        try repo.write(SchemaCheck.schemaPath, try Data(contentsOf: packageRoot.appendingPathComponent(SchemaCheck.schemaPath)))
        try repo.write("config.yaml", "model: m\nnew_section:\n  knob: 1\n")
        #expect(repo.diagnostics("schema.unknown-key").map(\.severity) == [.warning])
        let catalog =
            #"{"format": 1, "snapshots": [{"version": 51, "package": "next"}], "keys": [{"path": "new_section", "in": [51]}, {"path": "new_section.knob", "in": [51]}]}"#
        try repo.write(SchemaCheck.catalogPath, catalog)
        #expect(repo.diagnostics("schema.unknown-key").isEmpty)
        try repo.write(SchemaCheck.catalogPath, #"{"keys": 3}"#)
        let broken = repo.diagnostics("schema.invalid-catalog")
        #expect(broken.map { "\($0.file):\($0.line)" } == ["policy/harness-keys.json:1"])
    }
}

/// The catalog is read with overlay's own JSON reader and a hand mapping: every field of every
/// key and snapshot must be what Foundation's JSON reader sees in the same file.
@Suite struct HarnessKeyCatalogReadingTests {
    @Test func everyKeyReadsAsFoundationReadsIt() throws {
        let data = Data(HarnessKeyData.json.utf8)
        let catalog = try HarnessKeyCatalog(json: data)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let keys = try #require(object["keys"] as? [[String: Any]])
        let snapshots = try #require(object["snapshots"] as? [[String: Any]])
        #expect(catalog.keys.count == keys.count && keys.count > 1_000)
        #expect(catalog.snapshots.map(\.version) == snapshots.map { $0["version"] as? Int ?? -1 })
        #expect(catalog.snapshots.map(\.package) == snapshots.map { $0["package"] as? String ?? "" })
        for (key, raw) in zip(catalog.keys, keys) {
            #expect(key.path == raw["path"] as? String)
            #expect(key.versions == (raw["in"] as? [Int] ?? []), "\(key.path)")
            #expect(key.types == (raw["types"] as? [String] ?? []), "\(key.path)")
            #expect(key.source == (raw["from"] as? String ?? "defaults"), "\(key.path)")
            #expect(key.removed == raw["removed"] as? Int, "\(key.path)")
            #expect(key.isOpen == (raw["open"] as? Bool ?? false), "\(key.path)")
        }
    }

    @Test(arguments: [
        (#"{"keys": 3}"#, "'format'"), (#"{"format": 1, "snapshots": [], "keys": [{"in": [1]}]}"#, "keys[0] needs 'path'"),
        (#"{"format": 1, "snapshots": [], "keys": [{"path": "a", "in": ["x"]}]}"#, "keys[0].in"),
        (#"{"format": 1, "snapshots": [{"version": "1"}], "keys": []}"#, "snapshots[0]"), ("not json", "expected"),
    ])
    func aFileThatIsNoCatalogSaysWhere(text: String, words: String) {
        #expect(throws: HarnessKeyCatalog.CatalogError.self) { try HarnessKeyCatalog(json: Data(text.utf8)) }
        do { _ = try HarnessKeyCatalog(json: Data(text.utf8)) } catch { #expect(error.description.contains(words), "\(error)") }
    }
}

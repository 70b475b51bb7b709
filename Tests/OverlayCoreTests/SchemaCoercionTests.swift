import Foundation
import Testing

@testable import OverlayCore

/// Values the harness coerces are accepted; values it would really fail on stay errors.
@Suite struct SchemaCoercionTests {
    static let schema = CompiledSchema(document: (try? packageDocument(SchemaCheck.schemaPath)) ?? parse("{}", path: "s.json"))

    func errors(_ yaml: String) -> [Diagnostic] {
        SchemaCheck.validateHarnessConfig(parse(yaml, path: "config.yaml"), schema: Self.schema).filter { $0.severity == .error }
    }

    static let accepted: [String] = [
        // int() / float() on numeric strings
        "agent:\n  max_turns: \"120\"\n", "compression:\n  threshold: \"0.6\"\n", "platforms:\n  api_server:\n    port: \"8642\"\n",
        "delegation:\n  max_spawn_depth: ' 2 '\n",
        // ${VAR} for any scalar: integer, number, boolean, enum, string
        "platforms:\n  api_server:\n    port: ${API_PORT}\n", "compression:\n  threshold: ${THRESHOLD}\n",
        "display:\n  compact: ${COMPACT}\n", "terminal:\n  backend: ${BACKEND}\n", "model:\n  api_key: ${MODEL_API_KEY}\n",
        "agent:\n  max_turns: ${env:MAX_TURNS}\n",
        // null where the harness reads it as unset
        "agent:\n  max_turns: null\n", "database:\n  wal_autocheckpoint: null\n  journal_size_limit: ~\n",
        "delegation:\n  fallback_providers: null\n", "fallback_providers:\n", "vision:\n  max_calls_per_image: null\n",
        "auxiliary:\n  compression:\n    no_progress_timeout: null\n", "agent:\n",
        // agent.max_turns: 0, -1 and the unlimited spellings
        "agent:\n  max_turns: 0\n", "agent:\n  max_turns: -1\n", "agent:\n  max_turns: unlimited\n", "agent:\n  max_turns: \"inf\"\n",
        // one string where the harness wraps it into a list
        "skills:\n  external_dirs: ~/team-skills\n", "skills:\n  external_dirs: [~/a, ~/b]\n",
        // updates.pre_update_backup: a boolean or a mode
        "updates:\n  pre_update_backup: true\n", "updates:\n  pre_update_backup: quick\n", "updates:\n  pre_update_backup: \"off\"\n",
        // scalars in auxiliary beside the per-task mappings
        "auxiliary:\n  transient_retries: 2\n  free_only: false\n  openrouter_model: \"\"\n  stream_only_base_urls: [http://127.0.0.1:9000]\n",
        // reasoning turned off the ways the harness reads as off
        "agent:\n  reasoning_effort: false\n", "agent:\n  reasoning_effort: none\n",
        // model providers beyond any fixed list, and named custom providers
        "model:\n  provider: opencode-go\n", "model:\n  provider: custom:my-llama\n",
    ]

    @Test(arguments: accepted)
    func harnessCoercionIsAccepted(yaml: String) {
        let d = errors(yaml)
        #expect(d.isEmpty, "\(d.map(\.description))")
    }

    struct Rejected: Sendable, CustomStringConvertible {
        var yaml: String
        var rule: String
        var line: Int
        var column: Int
        var says: String
        var description: String { yaml }
    }

    static let rejected: [Rejected] = [
        // the harness parses a string here as JSON: a bare name is a startup failure
        .init(yaml: "terminal:\n  docker_forward_env: GITHUB_TOKEN\n", rule: "schema.type", line: 2, column: 23, says: "must be a list"),
        .init(yaml: "compression:\n  threshold: high\n", rule: "schema.type", line: 2, column: 14, says: "it must be a number"),
        .init(yaml: "agent:\n  max_turns: lots\n", rule: "schema.type", line: 2, column: 14, says: "\"unlimited\""),
        // bool("false") is True in the harness: a quoted boolean is a trap, not a coercion
        .init(yaml: "display:\n  compact: \"false\"\n", rule: "schema.type", line: 2, column: 12, says: "true or false"),
        .init(yaml: "terminal:\n  backend: dokcer\n", rule: "schema.enum", line: 2, column: 12, says: "did you mean 'docker'?"),
        .init(yaml: "platforms:\n  api_server:\n    port: 70000\n", rule: "schema.range", line: 3, column: 11, says: "at most 65535"),
        .init(
            yaml: "updates:\n  pre_update_backup: sometimes\n", rule: "schema.enum", line: 2, column: 22,
            says: "'sometimes', which is not one of"),
        .init(yaml: "agent:\n  reasoning_effort: hihg\n", rule: "schema.enum", line: 2, column: 21, says: "did you mean 'high'?"),
        .init(yaml: "skills:\n  external_dirs: {a: 1}\n", rule: "schema.type", line: 2, column: 18, says: "list or a string"),
    ]

    @Test(arguments: rejected)
    func realFailureIsAnError(_ c: Rejected) throws {
        let d = errors(c.yaml)
        #expect(d.map { "\($0.rule) \($0.line):\($0.column)" } == ["\(c.rule) \(c.line):\(c.column)"], "\(d.map(\.description))")
        #expect(d.first?.message.contains(c.says) == true, "\(d.map(\.message))")
    }

    @Test func deprecatedToolsetsIsAWarningNotAnError() {
        let d = SchemaCheck.validateHarnessConfig(parse("toolsets: [hermes-cli]\n", path: "config.yaml"), schema: Self.schema)
        #expect(d.map { "\($0.severity.rawValue) \($0.rule)" } == ["warning schema.deprecated"])
    }
}

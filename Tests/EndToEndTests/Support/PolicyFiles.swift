import Foundation

/// The two policy files every overlay repo has (SPEC §2), kept small for test repos:
/// without them validation reports `policy.missing` and `schema.missing`.
enum PolicyFiles {
    static let providers = """
        banned_providers:
          - {name: anthropic, patterns: [anthropic, claude], reason: closed frontier provider}
        known_tts_providers: [piper]
        known_stt_providers: [local]

        """

    /// A schema that accepts any mapping: these repos test other things than config.yaml.
    static let schema = #"{"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object"}"# + "\n"

    /// Writes `policy/providers.yaml` and `policy/config.schema.json` under `repo`.
    static func write(into repo: String) throws {
        try FileManager.default.createDirectory(atPath: repo + "/policy", withIntermediateDirectories: true)
        try providers.write(toFile: repo + "/policy/providers.yaml", atomically: true, encoding: .utf8)
        try schema.write(toFile: repo + "/policy/config.schema.json", atomically: true, encoding: .utf8)
    }
}

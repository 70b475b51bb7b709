import Foundation
import Testing

@testable import OverlayCore

/// The text scan reports vendor-prefixed keys anywhere and generic tokens only where they
/// are assigned to a key-like name, so ordinary prose and scripts validate clean.
@Suite struct SecretTextScanTests {
    /// 40 mixed letters and digits, no vendor prefix.
    static let bearer = "Zq7XkP2mW9vR4tL8sN3bY6cJ1dF5hG0aQeUiOpAs"
    static let openAI = "sk-or-v1-" + String(repeating: "a1B2c3D4e5", count: 4)
    static let github = "ghp_" + String(repeating: "Xy7Pq2", count: 6)

    static let sha = "3f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a"
    static let sha256 = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
    static let uuid = "123e4567-e89b-12d3-a456-426614174000"
    static let model = "hermes-4-14b-q4_k_m-2024-11-05-instruct-v2"
    static let png =
        "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAABAAAAAQCAYAAAAf8/9hAAAAGklEQVR42mNk+M9Qz0AEYBxVSF+FAP5FDvcfRYWgAAAAAElFTkSuQmCC"

    /// Every shape the reviewer saw flagged, in prose and as values of key-like names.
    static let soul = """
        # Soul

        I am Timmy. I run \(model) on the home server,
        harness commit \(sha) (see `git show \(String(sha.prefix(7)))`).
        Session \(uuid), or in upper case \(uuid.uppercased()).
        The weights' sha256 is \(sha256).
        My avatar: ![me](\(png))
        Image: `ghcr.io/nous/hermes-agent@sha256:\(sha256)`
        A mixed run in prose is not a key: \(bearer).

        """

    static let script = """
        #!/bin/sh
        set -eu
        MODEL_KEY=\(model)
        CACHE_KEY="\(sha)"
        SESSION_TOKEN=\(uuid.uppercased())
        IMAGE_SECRET=\(sha256)
        AVATAR_KEY="\(png)"
        docker pull ghcr.io/nous/hermes-agent@sha256:\(sha256)
        echo "\(sha256)  weights.gguf" | sha256sum -c -

        """

    /// "LINE:COL" of the first `needle` in `text`, counted in characters.
    func position(of needle: String, in text: String) -> String {
        for (i, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if let r = line.range(of: needle) { return "\(i + 1):\(line.distance(from: line.startIndex, to: r.lowerBound) + 1)" }
        }
        return "absent"
    }

    func secrets(_ files: [String: String]) throws -> [Diagnostic] {
        var all = MinimalRepo.files
        for (k, v) in files { all[k] = v }
        let repo = try TempRepo(all)
        defer { repo.remove() }
        return repo.validate().diagnostics
    }

    @Test func ordinaryTextIsNotASecret() throws {
        let d = try secrets(["SOUL.md": Self.soul, "scripts/pull.sh": Self.script])
        #expect(d.isEmpty, "\(d.map(\.description))")
    }

    @Test func keysAmongTheOrdinaryTextAreFoundAtTheirColumns() throws {
        let soul = Self.soul + "Leaked once in a note: `\(Self.github)` (revoked).\n"
        let script =
            Self.script + "export OPENAI_API_KEY=\(Self.openAI)\n"
            + "curl -fsS -H \"Authorization: Bearer \(Self.bearer)\" http://10.0.0.31:8080/v1/models\n"
        let d = try secrets(["SOUL.md": soul, "scripts/pull.sh": script]).filter { $0.rule == "policy.plaintext-secret" }
        let expected = [
            "SOUL.md:" + position(of: Self.github, in: soul),
            "scripts/pull.sh:" + position(of: Self.openAI, in: script),
            "scripts/pull.sh:" + position(of: Self.bearer, in: script),
        ]
        #expect(d.map { "\($0.file):\($0.line):\($0.column)" } == expected)
        #expect(d.allSatisfy { $0.severity == .error })
    }

    @Test func genericTokenCountsOnlyAsTheValueOfAKeyLikeName() throws {
        let notes = """
            password: \(Self.bearer)
            "api_key": "\(Self.bearer)"
            token: \(Self.bearer)
            note: \(Self.bearer)
            ssh_public_key=\(Self.bearer)

            """
        let d = try secrets(["notes/setup.md": notes]).filter { $0.rule == "policy.plaintext-secret" }
        #expect(d.map { "\($0.line):\($0.column)" } == ["1:11", "2:13", "3:8"])
    }

    @Test func awsAccessKeyIdIsFound() throws {
        let script = "#!/bin/sh\naws configure set aws_access_key_id AKIAQ3EXAMPLE7KZ4VWD\n"
        let d = try secrets(["scripts/s3.sh": script])
        #expect(d.filter { $0.rule == "policy.plaintext-secret" }.map { "\($0.line):\($0.column)" } == [position(of: "AKIA", in: script)])
    }

    /// Values under ordinary keys in parsed YAML get the same shape rules as text.
    @Test func parsedValuesUnderOrdinaryKeysAreNotTokens() throws {
        let vars = """
            harness_commit: \(Self.sha)
            session_id: \(Self.uuid.uppercased())
            weights_sha256: \(Self.sha256)
            model_file: \(Self.model)
            image: ghcr.io/nous/hermes-agent@sha256:\(Self.sha256)
            avatar: "\(Self.png)"

            """
        let d = try secrets(["inventory/group_vars/all.yml": vars])
        #expect(d.isEmpty, "\(d.map(\.description))")
    }

    @Test func parsedPrefixedKeyUnderAnOrdinaryKeyIsStillFound() throws {
        let d = try secrets(["inventory/group_vars/all.yml": "notes: \(Self.github)\n"])
        #expect(d.filter { $0.rule == "policy.plaintext-secret" }.map { "\($0.line):\($0.column)" } == ["1:8"])
    }
}

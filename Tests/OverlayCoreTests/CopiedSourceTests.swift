import Foundation
import Testing

@testable import OverlayCore

/// YAML/JSON files that `src:` copies as-is: parsed for secrets, but another program
/// reads them, so what stops the parse is a warning and `scan.exclude` can exempt them.
@Suite struct CopiedSourceTests {
    /// A VS Code style settings file: JSON with comments and a trailing comma.
    static let settings = """
        {
          // editor settings, read by a JSONC parser
          "editor.fontSize": 14,
        }

        """

    /// A generic token under an ordinary key: what a user may need to exempt.
    static let directory = "{\n  \"channels\": [{\"name\": \"ops\", \"webhook_id\": \"Zq7XkP2mW9vR4tL8sN3bY6cJ1dF5hG0a\"}]\n}\n"

    static func site(copying files: [String]) -> String {
        let site = MinimalRepo.files["playbooks/site.yaml"] ?? ""
        let entries = files.map { "  - {src: \($0), dest: \"{{ hermes_home }}/\($0)\"}\n" }.joined()
        return site.replacingOccurrences(of: "providers:", with: entries + "providers:")
    }

    func validate(_ extra: [String: String]) throws -> ValidationReport {
        var files = MinimalRepo.files
        for (k, v) in extra { files[k] = v }
        let repo = try TempRepo(files)
        defer { repo.remove() }
        return repo.validate()
    }

    @Test func parseErrorInACopiedFileIsAWarningThatSaysItIsCopiedAsIs() throws {
        let report = try validate(["playbooks/site.yaml": Self.site(copying: ["settings.json"]), "settings.json": Self.settings])
        let d = report.diagnostics
        #expect(d.map { "\($0.severity) \($0.rule) \($0.file):\($0.line)" } == ["warning json.syntax settings.json:2"])
        #expect(d.first?.message.contains("copies settings.json as-is") == true)
        #expect(report.passed(strict: false))
    }

    @Test func parseErrorInAFileOverlayReadsStaysAnError() throws {
        let bad = "- name: a\n  schedule: [\n"
        let report = try validate(["playbooks/site.yaml": Self.site(copying: ["cron/jobs.yaml"]), "cron/jobs.yaml": bad])
        #expect(report.diagnostics.filter { $0.rule == "yaml.syntax" }.map(\.severity) == [.error])
    }

    @Test func tokenInACopiedFileNamesScanExclude() throws {
        let d = try validate(["playbooks/site.yaml": Self.site(copying: ["channels.json"]), "channels.json": Self.directory])
            .diagnostics
        // At the value's opening quote.
        let line = Self.directory.split(separator: "\n")[1]
        let column = line.distance(from: line.startIndex, to: line.range(of: "\"Zq7")?.lowerBound ?? line.endIndex) + 1
        #expect(d.map { "\($0.rule) \($0.file):\($0.line):\($0.column)" } == ["policy.plaintext-secret channels.json:2:\(column)"])
        #expect(d.first?.message.contains("scan.exclude") == true)
    }

    @Test func scanExcludeExemptsACopiedFile() throws {
        let policy = (MinimalRepo.files["policy/providers.yaml"] ?? "")
            .replacingOccurrences(of: #"exclude: ["policy/**"]"#, with: #"exclude: ["policy/**", "channels.json"]"#)
        let d = try validate([
            "playbooks/site.yaml": Self.site(copying: ["channels.json"]), "channels.json": Self.directory, "policy/providers.yaml": policy,
        ]).diagnostics
        #expect(d.isEmpty, "\(d.map(\.description))")
    }

    @Test func scanExcludeDoesNotExemptFilesOverlayReads() throws {
        let policy = (MinimalRepo.files["policy/providers.yaml"] ?? "")
            .replacingOccurrences(of: #"exclude: ["policy/**"]"#, with: #"exclude: ["policy/**", "inventory/**"]"#)
        let d = try validate(["inventory/group_vars/all.yml": "gitea_token: hunter2hunter2\n", "policy/providers.yaml": policy])
        #expect(
            d.diagnostics.map { "\($0.rule) \($0.file):\($0.line):\($0.column)" } == [
                "policy.plaintext-secret inventory/group_vars/all.yml:1:14"
            ])
    }
}

import Foundation
import Testing

@Suite struct ValidateEndToEndTests {
    @Test func usageErrorExitsTwo() throws {
        let r = try runOverlay(["validate", "--no-such-flag"])
        #expect(r.status == 2)
        #expect(r.stderr.contains("--no-such-flag"))
    }

    @Test func jsonReportHasSpecFields() throws {
        let dir = try makeTempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        try "a: 1\na: 2\n".write(to: dir.appendingPathComponent("config.yaml"), atomically: true, encoding: .utf8)
        let r = try runOverlay(["validate", "--root", dir.path, "--format", "json"])
        #expect(r.status == 1)
        let json = r.json
        #expect(json["ok"] as? Bool == false)
        let diags = json["diagnostics"] as? [[String: Any]] ?? []
        let dup = diags.first { $0["rule"] as? String == "yaml.duplicate-key" }
        #expect(dup?["file"] as? String == "config.yaml")
        #expect(dup?["line"] as? Int == 2)
        #expect(dup?["column"] as? Int == 1)
    }
}

import Foundation
import Testing

/// `overlay validate` on the large generated repo, with deliberate mistakes of many rule
/// families, prints exactly the diagnostics the binary printed before the speed work
/// (issue 19): the same set, in the same order, each at the same file, line and column,
/// with the same message.
///
/// The repo is `bench/gen_overlay.py OUT 1000 50 2000 --errors` (3,006 files, 20 MB; the
/// generator's seed is fixed) with the four files it copies from the checkout replaced by
/// pinned copies (`Tests/Fixtures/validate-identity/base/`), so a change to the example's
/// own config or policy does not change the input. `expected.json` is the JSON report of
/// the binary built from commit db26891 (before issue 19) on that repo.
@Suite struct ValidateIdentityTests {
    static let fixture = PackagePaths.root.appendingPathComponent("Tests/Fixtures/validate-identity")
    /// Files and SHA-256 of the generated input (paths and bytes): when this fails, the
    /// generator or the pinned files changed, not overlay.
    static let inputFiles = 3006
    static let inputHash = "11a14ca4ce65162fc2cb807ba99bc1b895768f6ae21d208d4e2b1071ca232b8f"

    @Test func largeRepoDiagnosticsAreIdenticalToBefore() throws {
        let dir = try makeTempDir("overlay-identity")
        defer { try? FileManager.default.removeItem(at: dir) }
        let repo = dir.appendingPathComponent("repo")
        let gen = try runProcess(
            "/usr/bin/env", ["python3", "bench/gen_overlay.py", repo.path, "1000", "50", "2000", "--errors"], cwd: PackagePaths.root,
            timeout: 300)
        try #require(gen.status == 0, "gen_overlay.py failed: \(gen.stderr)")
        let fm = FileManager.default
        for file in ["config.yaml", "SOUL.md", "policy/providers.yaml", "policy/config.schema.json"] {
            let target = repo.appendingPathComponent(file)
            try? fm.removeItem(at: target)
            try fm.copyItem(at: Self.fixture.appendingPathComponent("base/" + file), to: target)
        }
        let hash = try runProcess("/usr/bin/env", ["python3", "-c", Self.hashScript, repo.path])
        try #require(
            hash.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "\(Self.inputFiles) \(Self.inputHash)",
            "the generated input changed (bench/gen_overlay.py or the pinned files): \(hash.stdout) \(hash.stderr)")

        let result = try runOverlay(["validate", "--root", repo.path, "--format", "json"], timeout: 600)
        #expect(result.status == 1)
        let expected = try String(contentsOf: Self.fixture.appendingPathComponent("expected.json"), encoding: .utf8)
        if result.stdout != expected {
            // Name the first diagnostic that differs, so a failure says what moved.
            let got = Self.diagnostics(result.stdout)
            let want = Self.diagnostics(expected)
            let first = (0..<min(got.count, want.count)).first { got[$0] != want[$0] } ?? min(got.count, want.count)
            Issue.record(
                "validate's JSON differs from expected.json: \(got.count) diagnostics (expected \(want.count)); first difference at #\(first): got \(first < got.count ? got[first] : "nothing"), expected \(first < want.count ? want[first] : "nothing")"
            )
        }

        // Spot checks, one per family, so the fixture itself is known to hold what it should.
        let json = result.json
        #expect(json["files"] as? Int == 3006)
        #expect(json["errors"] as? Int == 355)
        #expect(json["warnings"] as? Int == 29)
        let all = Self.diagnostics(result.stdout)
        let spots = [
            "cron/jobs-0003.yaml:49:16 error cron.range",
            "cron/jobs-0010.yaml:153:11 error cron.duplicate-name",
            "cron/jobs-0024.yaml:121:30 error cron.secret-reference",
            "cron/jobs-0045.yaml:192:5 error yaml.syntax",
            "cron/jobs-0052.yaml:52:1 error yaml.tab-indent",
            "cron/jobs-0059.yaml:156:22 error policy.plaintext-secret",
            "cron/jobs-0066.yaml:1:8 error yaml.encoding",
            "cron/jobs-0080.yaml:224:15 error yaml.tag",
            "inventory/host_vars/host00005.yml:104:15 error inventory.connection-type",
            "inventory/host_vars/host00044.yml:106:7 error yaml.merge-key",
        ]
        for spot in spots { #expect(all.contains { $0.hasPrefix(spot + " ") }, "missing \(spot)") }
    }

    /// Each diagnostic as one comparable line: `file:line:column severity rule message`.
    static func diagnostics(_ json: String) -> [String] {
        let object = (try? JSONSerialization.jsonObject(with: Data(json.utf8))) as? [String: Any]
        let list = object?["diagnostics"] as? [[String: Any]] ?? []
        return list.map { d in
            "\(d["file"] ?? ""):\(d["line"] ?? ""):\(d["column"] ?? "") \(d["severity"] ?? "") \(d["rule"] ?? "") \(d["message"] ?? "")"
        }
    }

    /// File count and SHA-256 over the sorted relative paths and their bytes.
    static let hashScript = """
        import hashlib, os, sys
        root = sys.argv[1]
        paths = sorted(os.path.relpath(os.path.join(d, f), root) for d, _, fs in os.walk(root) for f in fs)
        h = hashlib.sha256()
        for p in paths:
            h.update(p.encode() + b"\\0" + open(os.path.join(root, p), "rb").read() + b"\\0")
        print(len(paths), h.hexdigest())
        """
}

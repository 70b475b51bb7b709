import Foundation
import Testing

@testable import OverlayCore

/// Hostile documents get one located diagnostic each, never a crash, hang or blow-up.
@Suite struct HostileInputTests {
    @Test func deepFlowNestingStopsAtTheLimit() {
        let text = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        let doc = parse(text)
        #expect(doc.diagnostics.map(\.rule) == ["yaml.depth"])
        #expect(doc.diagnostics.first?.line == 1)
        #expect(doc.diagnostics.first?.column == 101)
        #expect(doc.root == nil)
    }

    @Test func deepBlockNestingStopsAtTheLimit() {
        let text = String(repeating: "- ", count: 10_000) + "x\n"
        let doc = parse(text)
        #expect(doc.diagnostics.map(\.rule) == ["yaml.depth"])
    }

    @Test func deepJSONNestingStopsAtTheLimit() {
        let text = String(repeating: "{\"a\":", count: 10_000) + "1" + String(repeating: "}", count: 10_000)
        let doc = parse(text, path: "x.json")
        #expect(doc.diagnostics.map(\.rule) == ["json.depth"])
    }

    @Test func billionLaughsIsRefused() {
        var text = "a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
        for i in 1...9 {
            let refs = Array(repeating: "*a\(i - 1)", count: 10).joined(separator: ", ")
            text += "a\(i): &a\(i) [\(refs)]\n"
        }
        let doc = parse(text)
        let rule = doc.diagnostics.first?.rule
        #expect(rule == "yaml.alias-limit")
        // The bomb goes off at the first alias that pushes past the budget (level 6+).
        #expect((doc.diagnostics.first?.line ?? 0) >= 6)
    }

    @Test func invalidUTF8IsLocated() {
        var bytes = Array("name: ok\nbad: ".utf8)
        bytes += [0xC3, 0x28]
        bytes += Array("\n".utf8)
        let doc = DocumentLoader().parse(data: Data(bytes), path: "c.yaml")
        #expect(doc.diagnostics.map(\.rule) == ["yaml.encoding"])
        #expect(doc.diagnostics.first?.line == 2)
        #expect(doc.diagnostics.first?.column == 6)
    }

    @Test func byteOrderMarkIsAWarningAndStillParses() {
        let doc = DocumentLoader().parse(data: Data([0xEF, 0xBB, 0xBF] + Array("a: 1\n".utf8)), path: "c.yaml")
        #expect(doc.diagnostics.map(\.rule) == ["yaml.bom"])
        #expect(doc.diagnostics.first?.severity == .warning)
        #expect(doc.root?["a"]?.value == .int(1))
    }

    @Test func tabIndentationIsExplained() {
        let doc = parse("a:\n\tb: 1\n")
        #expect(doc.diagnostics.map(\.rule) == ["yaml.tab-indent"])
        #expect(doc.diagnostics.first?.line == 2)
        #expect(doc.diagnostics.first?.message.contains("spaces") == true)
    }

    @Test func syntaxErrorIsLocated() {
        let doc = parse("a: [1, 2\nb: 3\n")
        #expect(doc.diagnostics.map(\.rule) == ["yaml.syntax"])
        #expect(doc.diagnostics.first?.line == 2)
    }

    @Test func undefinedAliasIsAnError() {
        let doc = parse("a: *nope\n")
        #expect(doc.diagnostics.map(\.rule) == ["yaml.syntax"])
        #expect(doc.diagnostics.first?.message.contains("nope") == true)
    }

    @Test func secondDocumentIsReported() {
        let doc = parse("a: 1\n---\nb: 2\n")
        #expect(doc.diagnostics.map(\.rule) == ["yaml.multi-document"])
        #expect(doc.diagnostics.first?.line == 2)
    }

    @Test func oversizedFileIsNotRead() throws {
        let repo = try TempRepo([:])
        defer { repo.remove() }
        try repo.write("cron/big.yaml", Data(count: 2_000))
        var loader = DocumentLoader()
        loader.maxFileSize = 1_000
        let doc = loader.load(url: repo.root.appendingPathComponent("cron/big.yaml"), path: "cron/big.yaml")
        #expect(doc.diagnostics.map(\.rule) == ["yaml.too-large"])
        #expect(doc.text.isEmpty)
    }

    @Test func jsonDuplicateKeyAndSyntax() {
        let dup = parse("{\"a\": 1,\n \"a\": 2}", path: "x.json")
        #expect(dup.diagnostics.map(\.rule) == ["json.duplicate-key"])
        #expect(dup.diagnostics.first?.line == 2 && dup.diagnostics.first?.column == 2)
        let bad = parse("{\"a\": 1,}", path: "x.json")
        #expect(bad.diagnostics.map(\.rule) == ["json.syntax"])
        #expect(bad.diagnostics.first?.column == 9)
    }

    /// Each unclosed `${` would otherwise search to the end of the line again.
    @Test func lineOfUnclosedReferencesIsScannedOnce() {
        let key = "sk-" + String(repeating: "a1B2c3D4e5", count: 4)
        let text = String(repeating: "${", count: 100_000) + String(repeating: "{{", count: 100_000) + " " + key + "\n"
        let found = SecretTextScan.scan(text, file: "notes.md")
        #expect(found.map { "\($0.line):\($0.column)" } == ["1:400002"])
    }

    /// A one-line file full of keys: each hit's column is counted on from the previous hit,
    /// so the line is walked once (it used to be walked once per hit).
    @Test func longLineOfTokensIsWalkedOnce() {
        let word = "sk-aB12cD34eF56gH78iJ90kL12mN34oP56 "
        let count = 20_000
        let text = String(repeating: word, count: count)
        let start = threadCPUTime()
        let found = SecretTextScan.scan(text, file: "big.md")
        #expect(threadCPUTime() - start < .seconds(10), "CPU time of the scan")
        #expect(found.count == count)
        #expect(found.last.map { "\($0.line):\($0.column)" } == "1:\((count - 1) * word.utf8.count + 1)")
    }

    /// A 15 MiB run of token characters is no key: it is skipped, not decoded and measured
    /// (that took 20+ s), even with a key prefix and a key-like name before it.
    @Test func hugeTokenLikeRunIsSkipped() {
        let key = "sk-" + String(repeating: "a1B2c3D4e5", count: 4)
        let run = String(repeating: "aB3dE6gH9jK2mN5pQ8", count: 15 * 1_048_576 / 18)
        let text = "OPENAI_API_KEY=sk-\(run)\nAPI_TOKEN=\(run) \(key)\n"
        let start = threadCPUTime()
        let found = SecretTextScan.scan(text, file: "big.md")
        #expect(threadCPUTime() - start < .seconds(10), "CPU time of the scan")
        #expect(found.map { "\($0.line):\($0.column)" } == ["2:\(11 + run.utf8.count + 1)"])
    }

    @Test func symlinkLeavingTheRepoIsReportedNotRead() throws {
        let repo = try TempRepo(MinimalRepo.files)
        defer { repo.remove() }
        try FileManager.default.createDirectory(at: repo.root.appendingPathComponent("cron"), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(
            atPath: repo.root.appendingPathComponent("cron/passwd.yaml").path, withDestinationPath: "/etc/passwd")
        let found = repo.diagnostics("yaml.symlink-escape")
        #expect(found.map(\.file) == ["cron/passwd.yaml"])
        #expect(found.first?.message.contains("/etc/passwd") == true)
    }
}

@Suite struct ScalarResolutionTests {
    @Test func yaml11ScalarsResolveLikePyYAML() {
        let doc = parse("a: yes\nb: off\nc: 0600\nd: 1e5\ne: 1.5\nf: ~\ng: '0600'\nh: 0x1F\ni: 1_000\n")
        let r = doc.root
        #expect(r?["a"]?.value == .bool(true))
        #expect(r?["b"]?.value == .bool(false))
        #expect(r?["c"]?.value == .int(384))
        #expect(r?["d"]?.value == .string("1e5"))
        #expect(r?["e"]?.value == .double(1.5))
        #expect(r?["f"]?.value == .null)
        #expect(r?["g"]?.value == .string("0600"))
        #expect(r?["h"]?.value == .int(31))
        #expect(r?["i"]?.value == .int(1000))
    }
}

@Suite struct UnreadableEntryTests {
    @Test func fifoAndLoopingLinkAreReportedNotOpened() throws {
        let repo = try TempRepo(MinimalRepo.files)
        defer { repo.remove() }
        let cron = repo.root.appendingPathComponent("cron")
        try FileManager.default.createDirectory(at: cron, withIntermediateDirectories: true)
        #expect(mkfifo(cron.appendingPathComponent("pipe.yaml").path, 0o644) == 0)
        try FileManager.default.createSymbolicLink(atPath: cron.appendingPathComponent("loop.yaml").path, withDestinationPath: "loop.yaml")
        let found = repo.diagnostics("yaml.unreadable")
        #expect(found.map(\.file) == ["cron/loop.yaml", "cron/pipe.yaml"])
        #expect(found.last?.message.contains("FIFO") == true)
    }
}

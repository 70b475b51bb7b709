import Foundation
import OverlayCore
import Testing

@testable import OverlayRuntime

/// Reading and writing the harness's `jobs.json`: what is refused (and left as it was), what
/// survives a write, and hostile content.
@Suite struct JobsDocumentTests {
    struct Home {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("overlay-jobs-\(UUID().uuidString)").path
        var jobsFile: String { root + "/cron/jobs.json" }
        var managed: ManagedAgentJobs {
            ManagedAgentJobs(
                target: RenderedAgentJobs(
                    home: root, timezone: "UTC", jobs: [RenderedAgentJob(name: "r", prompt: "p", schedule: "every 1h")]),
                host: "h1", lockTimeout: 1)
        }

        init(_ content: [UInt8]?) throws {
            try FileManager.default.createDirectory(atPath: root + "/cron", withIntermediateDirectories: true)
            if let content { FileManager.default.createFile(atPath: jobsFile, contents: Data(content)) }
        }

        func cleanup() { try? FileManager.default.removeItem(atPath: root) }
    }

    static let corrupt: [(String, [UInt8], String)] = [
        ("not JSON", Array("{\"jobs\": [".utf8), "not JSON"),
        ("a bare list", Array("[{\"id\": \"a\"}]".utf8), "bare list"),
        ("a raw control character", Array("{\"jobs\": [{\"name\": \"a\u{01}b\"}]}".utf8), "raw control character"),
        ("an empty file", [], "empty"),
        ("jobs not a list", Array("{\"jobs\": {}}".utf8), "'jobs' is not a list"),
        ("a job that is not an object", Array("{\"jobs\": [1]}".utf8), "job 1 is not an object"),
        ("a string at the top", Array("\"jobs\"".utf8), "not an object"),
        ("extra data", Array("{\"jobs\": []} {}".utf8), "extra data"),
        ("a lone surrogate", Array("{\"jobs\": [{\"name\": \"\\ud800\"}]}".utf8), "surrogate"),
        ("deep nesting", Array(("{\"jobs\": " + String(repeating: "[", count: 5000)).utf8), "nested more than"),
        ("invalid UTF-8", [0x7B, 0x22, 0xFF, 0x22, 0x3A, 0x31, 0x7D], "not valid UTF-8"),
    ]

    @Test(arguments: Self.corrupt.indices)
    func aCorruptFileIsReportedAndNothingIsWritten(_ index: Int) throws {
        let (what, bytes, says) = Self.corrupt[index]
        let home = try Home(bytes)
        defer { home.cleanup() }
        #expect(throws: AgentJobsError.self, "\(what)") { try home.managed.check() }
        do {
            _ = try home.managed.install(dryRun: false)
            Issue.record("\(what): installed over a corrupt file")
        } catch {
            #expect(error.description.contains(says), "\(what): \(error)")
            #expect(error.description.contains("Nothing was written"))
        }
        #expect(FileManager.default.contents(atPath: home.jobsFile).map(Array.init) == bytes, "\(what): the file changed")
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: home.root + "/cron").filter { $0 != "jobs.json" && $0 != ".jobs.lock" }
                .isEmpty)
    }

    @Test func aByteOrderMarkIsAcceptedAsTheHarnessReadsIt() throws {
        let home = try Home([0xEF, 0xBB, 0xBF] + Array("{\"jobs\": []}".utf8))
        defer { home.cleanup() }
        let change = try home.managed.install(dryRun: false)
        #expect(change.written && change.names(.added) == ["r"])
    }

    @Test func aSymlinkedJobsFileIsRefused() throws {
        let home = try Home(nil)
        defer { home.cleanup() }
        FileManager.default.createFile(atPath: home.root + "/elsewhere.json", contents: Data("{\"jobs\": []}".utf8))
        try FileManager.default.createSymbolicLink(atPath: home.jobsFile, withDestinationPath: home.root + "/elsewhere.json")
        #expect(throws: AgentJobsError.symlink(path: home.jobsFile)) { try home.managed.install(dryRun: false) }
        #expect(FileManager.default.contents(atPath: home.root + "/elsewhere.json") == Data("{\"jobs\": []}".utf8))
    }

    @Test func aDryRunWritesNothingAndNoFileMeansNoJobsYet() throws {
        let home = try Home(nil)
        defer { home.cleanup() }
        let dry = try home.managed.install(dryRun: true)
        #expect(!dry.written && dry.names(.added) == ["r"])
        #expect(!FileManager.default.fileExists(atPath: home.jobsFile))
        let real = try home.managed.install(dryRun: false)
        #expect(real.written)
        let attributes = try FileManager.default.attributesOfItem(atPath: home.jobsFile)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
    }

    @Test func hostileNamesAndPromptsStayValidJSONAndSurviveARoundTrip() throws {
        let hostile = "line one\nline two\r\n\u{0}NUL \"quoted\" \\ back \u{7F} é 日本 🦊 \u{202E}rtl \u{2028}"
        let big = String(repeating: "x", count: 100_000) + hostile
        let hand = JobsJSON.object([("id", .string("hhhhhhhhhhhh")), ("name", .string(hostile)), ("prompt", .string(big))])
        let home = try Home(Array(JobsDocument(jobs: [hand]).encoded(updatedAt: "t").utf8Bytes))
        defer { home.cleanup() }
        var managed = home.managed
        managed = ManagedAgentJobs(
            target: RenderedAgentJobs(
                home: home.root, timezone: "UTC", jobs: [RenderedAgentJob(name: hostile, prompt: big, schedule: "every 1h")]),
            host: "h1")
        #expect(try managed.install(dryRun: false).written)
        let bytes = try #require(FileManager.default.contents(atPath: home.jobsFile))
        #expect(
            !bytes.contains(0x0A)
                || String(decoding: bytes, as: UTF8.self).split(separator: "\n").allSatisfy {
                    $0.utf8.allSatisfy { $0 >= 0x20 && $0 < 0x7F }
                })
        let object = try JSONSerialization.jsonObject(with: bytes) as? [String: Any]
        let jobs = try #require(object?["jobs"] as? [[String: Any]])
        #expect(jobs.count == 2 && jobs.allSatisfy { $0["name"] as? String == hostile && $0["prompt"] as? String == big })
        let again = try managed.install(dryRun: false)
        #expect(!again.written && again.jobs.map(\.action) == [.keptByHand, .unchanged])
    }

    @Test func numbersAndUnknownMembersOfAHandJobAreWrittenBackAsTheyWere() throws {
        let text =
            #"{"jobs": [{"id": "a", "n": 1.50, "big": 123456789012345678901234567890, "nan": NaN, "e": 1E+3, "s": "\/"}], "extra": {"k": [true, null]}}"#
        let doc = try JobsDocument.parse(Array(text.utf8), path: "j")
        let out = String(decoding: doc.encoded(updatedAt: "u"), as: UTF8.self)
        for piece in [
            "\"n\": 1.50", "\"big\": 123456789012345678901234567890", "\"nan\": NaN", "\"e\": 1E+3", "\"s\": \"/\"", "\"extra\": {",
        ] {
            #expect(out.contains(piece), "\(piece) in \(out)")
        }
    }
}

extension Data {
    var utf8Bytes: [UInt8] { Array(self) }
}

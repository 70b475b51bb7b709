import Foundation
import Testing

@testable import OverlayCore

/// Something that is not a file where a file should be is reported as what it is, not as
/// missing; a file over the size limit is reported with its real size.
@Suite struct RepoEntryKindTests {
    func validate(_ prepare: (TempRepo) throws -> Void) throws -> [Diagnostic] {
        var files = MinimalRepo.files
        files["policy/config.schema.json"] = String(decoding: Fixtures.repoSchema ?? Data(), as: UTF8.self)
        let repo = try TempRepo(files)
        defer { repo.remove() }
        try prepare(repo)
        return repo.validate().diagnostics.filter { $0.severity == .error }
    }

    func replace(_ repo: TempRepo, _ path: String, with make: (String) throws -> Void) throws {
        let full = repo.root.path + "/" + path
        try FileManager.default.removeItem(atPath: full)
        try make(full)
    }

    @Test func aFIFOWhereConfigYamlShouldBeSaysSo() throws {
        let started = Date()
        let d = try validate { repo in try replace(repo, "config.yaml") { #expect(mkfifo($0, 0o644) == 0) } }
        #expect(Date().timeIntervalSince(started) < 20, "a FIFO is never opened")
        #expect(d.map(\.rule) == ["yaml.unreadable"], "\(d)")
        #expect(d.first?.message.contains("is a FIFO (named pipe)") == true, "\(d)")
    }

    @Test func aFolderWhereConfigYamlShouldBeSaysSo() throws {
        let d = try validate { repo in
            try replace(repo, "config.yaml") { try FileManager.default.createDirectory(atPath: $0, withIntermediateDirectories: true) }
            try repo.write("config.yaml/model.yaml", "model: {provider: custom}\n")
        }
        #expect(d.map { "\($0.rule) \($0.file)" } == ["yaml.unreadable config.yaml"], "\(d)")
        #expect(d.first?.message.contains("config.yaml is a folder") == true)
    }

    @Test func aFolderWhereSoulShouldBeSaysSo() throws {
        let d = try validate { repo in
            try replace(repo, "SOUL.md") { try FileManager.default.createDirectory(atPath: $0, withIntermediateDirectories: true) }
        }
        let soul = d.filter { $0.file == "SOUL.md" }
        #expect(soul.map { "\($0.rule) \($0.line):\($0.column)" } == ["soul.unreadable 1:1"], "\(d)")
        #expect(soul.first?.message.contains("SOUL.md is a folder") == true)
        // The golden state copies SOUL.md: that entry says the same, not "does not exist".
        #expect(d.first { $0.rule == "playbook.missing-source" }?.message.contains("'SOUL.md' is a folder") == true, "\(d)")
    }

    @Test func aFIFOWherePolicyShouldBeIsNotMissing() throws {
        let d = try validate { repo in try replace(repo, "policy/providers.yaml") { #expect(mkfifo($0, 0o644) == 0) } }
        #expect(d.map(\.rule) == ["yaml.unreadable"], "\(d)")
    }

    @Test func aSourceThatIsAFIFOSaysSo() throws {
        let d = try validate { repo in
            #expect(mkfifo(repo.root.path + "/agent.sh", 0o644) == 0)
            try repo.write(
                "playbooks/site.yaml",
                "hosts: all\nhomes:\n  h: \"{{ hermes_home }}\"\nfiles:\n  - {src: agent.sh, dest: \"{{ hermes_home }}/agent.sh\"}\n")
        }
        let hit = try #require(d.first { $0.rule == "playbook.missing-source" }, "\(d)")
        #expect(hit.message.contains("is a FIFO") && !hit.message.contains("does not exist"), "\(hit.message)")
    }

    /// 17 MB is 16.2 MiB: "16 MiB, over the 16 MiB limit" told the user nothing.
    @Test func aSeventeenMegabyteFileIsReportedWithItsRealSize() throws {
        let d = try validate { repo in
            try repo.write("config.yaml", Data(count: 17_000_000))
        }
        let hit = try #require(d.first { $0.rule == "yaml.too-large" }, "\(d)")
        #expect(hit.message.contains("16.2 MiB (17000000 bytes)") && hit.message.contains("16.0 MiB limit"), "\(hit.message)")
    }

    /// The limit applies to what a symlink points at, not to the link.
    @Test func aSymlinkToALargeFileIsMeasuredByItsTarget() throws {
        let d = try validate { repo in
            try repo.write(".data/big.yaml", Data(count: 17_000_000))
            try replace(repo, "config.yaml") {
                try FileManager.default.createSymbolicLink(atPath: $0, withDestinationPath: ".data/big.yaml")
            }
        }
        #expect(d.filter { $0.rule == "yaml.too-large" }.map(\.file) == ["config.yaml"], "\(d)")
    }
}

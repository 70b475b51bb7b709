import Foundation
import OverlayCore
import Testing

@testable import OverlayRuntime

/// A `file:` target in /etc/cron.d format, in a temp dir standing in for /etc/cron.d.
@Suite struct FileCrontabTests {
    private func mode(_ url: URL) throws -> Int {
        try (FileManager.default.attributesOfItem(atPath: url.path)[.posixPermissions] as? NSNumber)?.intValue ?? -1
    }

    @Test func newFileIsWorldReadableAndHasTheUserColumn() throws {
        let dir = try makeCrontabTempDir()
        let url = dir.appendingPathComponent("overlay")
        let crontab = try ManagedCrontab(target: CrontabTarget(parsing: "file:" + url.path))
        var job = sampleJobs[0]
        job.user = "hermes"

        try crontab.install(jobs: [job], host: "ezra")

        #expect(try mode(url) == 0o644)
        #expect(try contents(url).contains("\n*/1 * * * * hermes overlay heartbeat\n"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["overlay"])
    }

    @Test func existingModeIsKept() throws {
        let (crontab, url) = try fileCrontab("# system jobs\n")
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: url.path)
        try crontab.install(jobs: sampleJobs, host: "ezra")
        #expect(try mode(url) == 0o600)
        #expect(try contents(url).hasPrefix("# system jobs\n# >>> overlay managed: host=ezra "))
    }

    @Test func missingFolderIsAClearErrorAndNothingIsCreated() throws {
        let path = try makeCrontabTempDir().appendingPathComponent("no-such-dir/overlay").path
        let crontab = try ManagedCrontab(target: .file(path))
        #expect {
            try crontab.install(jobs: sampleJobs, host: "ezra")
        } throws: { error in
            guard case .io(let at, let message) = error as? CrontabError else { return false }
            return at.contains("no-such-dir") && message.contains("cannot create")
        }
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    @Test func notUTF8IsRefusedRatherThanRewritten() throws {
        let (crontab, url) = try fileCrontab(nil)
        let bytes = Data([0x23, 0x20, 0xFF, 0xFE, 0x0A])
        try bytes.write(to: url)
        #expect(throws: CrontabError.self) { try crontab.install(jobs: sampleJobs, host: "ezra") }
        #expect(try Data(contentsOf: url) == bytes)
    }
}

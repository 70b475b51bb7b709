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

    /// A user's Latin-1 comment used to block every later install: its bytes are kept as they are.
    @Test func bytesThatAreNotUTF8AreKeptAsTheyAre() throws {
        let (crontab, url) = try fileCrontab(nil)
        let user =
            Data([0x23, 0x20, 0x63, 0x61, 0x66, 0xE9, 0x0A]) + Data("0 4 * * * root /usr/bin/true \u{FF}\n".utf8)
            + Data([0x23, 0xFF, 0xFE, 0xC0, 0xAF, 0xED, 0xA0, 0x80, 0xF4, 0x8F, 0xBF, 0xBF, 0x0A])
        try user.write(to: url)

        try crontab.install(jobs: sampleJobs, host: "ezra")
        let installed = try Data(contentsOf: url)
        #expect(installed.starts(with: user), "the user's bytes come first, unchanged")
        #expect(String(decoding: installed.dropFirst(user.count), as: UTF8.self).hasPrefix("# >>> overlay managed: host=ezra "))

        try crontab.install(jobs: [sampleJobs[0]], host: "ezra")
        #expect(try Data(contentsOf: url).starts(with: user))
        try crontab.remove(host: "ezra")
        #expect(try Data(contentsOf: url) == user, "removing the block gives the user's bytes back exactly")
    }

    /// A symlinked target is written through: the link stays, the real file keeps owner and mode.
    @Test func aSymlinkedTargetIsWrittenThroughKeepingOwnerAndMode() throws {
        let dir = try makeCrontabTempDir()
        try FileManager.default.createDirectory(atPath: dir.path + "/real", withIntermediateDirectories: true)
        let real = dir.path + "/real/overlay"
        let link = dir.path + "/overlay"
        try Data("# theirs\n".utf8).write(to: URL(fileURLWithPath: real))
        #expect(chown(real, 4242, 4343) == 0 && chmod(real, 0o640) == 0)
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: "real/overlay")
        let crontab = ManagedCrontab(target: .file(link), store: FileCrontabStore(path: link), userName: { "ops" })

        try crontab.install(jobs: sampleJobs, host: "ezra")

        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link) == "real/overlay", "the link stays a link")
        let text = try String(contentsOfFile: real, encoding: .utf8)
        #expect(text.hasPrefix("# theirs\n# >>> overlay managed: host=ezra"))
        var st = stat()
        #expect(stat(real, &st) == 0)
        #expect(st.st_uid == 4242 && st.st_gid == 4343 && st.st_mode & 0o7777 == 0o640, "owner and mode kept")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path + "/real") == ["overlay"], "no temp left")
    }

    @Test func aRegularTargetKeepsItsOwner() throws {
        let (crontab, url) = try fileCrontab("# system jobs\n")
        #expect(chown(url.path, 4242, 4343) == 0)
        try crontab.install(jobs: sampleJobs, host: "ezra")
        var st = stat()
        #expect(stat(url.path, &st) == 0 && st.st_uid == 4242 && st.st_gid == 4343)
    }

    @Test func aSymlinkToNothingIsRefused() throws {
        let dir = try makeCrontabTempDir()
        let link = dir.path + "/overlay"
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: dir.path + "/missing/overlay")
        let crontab = ManagedCrontab(target: .file(link), store: FileCrontabStore(path: link), userName: { "ops" })
        let error = try #require(throws: CrontabError.self) { try crontab.install(jobs: sampleJobs, host: "ezra") }
        #expect(error.description.contains("is a symlink to") && error.description.contains("does not exist"), "\(error)")
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link) == dir.path + "/missing/overlay")
    }
}

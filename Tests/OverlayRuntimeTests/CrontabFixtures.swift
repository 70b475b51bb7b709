import Foundation
import OverlayCore

@testable import OverlayRuntime

/// A fresh empty directory under the system temp dir.
func makeCrontabTempDir() throws -> URL {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("overlay-crontab-test-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    return dir
}

/// A `file:` crontab in a temp dir holding `text`, and the instance that edits it.
func fileCrontab(_ text: String?, user: String = "tester") throws -> (ManagedCrontab, URL) {
    let url = try makeCrontabTempDir().appendingPathComponent("overlay")
    if let text { try Data(text.utf8).write(to: url) }
    let crontab = ManagedCrontab(target: .file(url.path), store: FileCrontabStore(path: url.path), userName: { user })
    return (crontab, url)
}

/// The file's text (fails the test when it cannot be read).
func contents(_ url: URL) throws -> String {
    try String(decoding: Data(contentsOf: url), as: UTF8.self)
}

/// The file's inode: a rewrite by rename changes it.
func inode(_ url: URL) throws -> UInt64 {
    let attrs = try FileManager.default.attributesOfItem(atPath: url.path)
    return (attrs[.systemFileNumber] as? NSNumber)?.uint64Value ?? 0
}

/// Two everyday jobs.
let sampleJobs = [
    RenderedCronJob(name: "heartbeat", schedule: "*/1 * * * *", command: "overlay heartbeat"),
    RenderedCronJob(name: "backup", schedule: "@daily", command: "tar czf /tmp/b.tgz /etc"),
]

import Foundation
import OverlayCore

/// Serializes read-modify-write of one crontab across threads and processes (flock).
///
/// Converge may apply several local wizards at once, and each rewrites the whole
/// crontab: without the lock one host's block could be lost to another's write.
struct CrontabLock {
    /// Where the lock lives for `target`: the file's folder, or a per-user lock file.
    static func path(for target: CrontabTarget) -> (path: String, isDirectory: Bool) {
        switch target {
        case .file(let path):
            // Locking the folder leaves no lock file behind in /etc/cron.d. The folder is the real
            // file's (a symlinked target is written there), so every way of naming it shares the lock.
            let real = (try? FileCrontabStore.realFile(path)) ?? path
            return (URL(fileURLWithPath: real).deletingLastPathComponent().path, true)
        case .user:
            return (FileManager.default.temporaryDirectory.appendingPathComponent("overlay-crontab-\(geteuid()).lock").path, false)
        }
    }

    /// Runs `body` while holding the lock of `target`.
    static func withLock<T>(_ target: CrontabTarget, _ body: () throws(CrontabError) -> T) throws(CrontabError) -> T {
        let (path, isDirectory) = self.path(for: target)
        let flags = isDirectory ? O_RDONLY | O_DIRECTORY | O_CLOEXEC : O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC
        let fd = open(path, flags, 0o600)
        guard fd >= 0 else {
            // A missing folder is reported by the write itself, with the target's path.
            if isDirectory && errno == ENOENT { return try body() }
            throw .io(path: path, message: "cannot open the crontab lock: \(ErrnoText.describe(errno))")
        }
        defer { close(fd) }
        var info = stat()
        if !isDirectory, fstat(fd, &info) != 0 || info.st_uid != geteuid() {
            throw .io(path: path, message: "the crontab lock file belongs to another user; remove it")
        }
        while flock(fd, LOCK_EX) != 0 {
            guard errno == EINTR else { throw .io(path: path, message: "cannot lock: \(ErrnoText.describe(errno))") }
        }
        return try body()
    }
}

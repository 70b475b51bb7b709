import Foundation
import Logging

/// The secrets in force. The secret file is looked at again at most once a second and
/// re-read when it changed, so a secret is rotated by editing the file, without a restart
/// (add the new line, switch the sender, remove the old line).
final class SecretStore: @unchecked Sendable {
    private let path: String
    private let logger: Logger
    private let lock = NSLock()
    private var secrets: SecretSet
    private var identity: FileIdentity?
    private var checkedAt: ContinuousClock.Instant

    /// Loads the file once; a file that cannot be used stops the start.
    init(path: String, logger: Logger) throws(ServeError) {
        self.path = path
        self.logger = logger
        self.identity = FileIdentity(path: path)
        self.secrets = try SecretSet.load(from: path)
        self.checkedAt = .now
        var info = stat()
        if stat(path, &info) == 0, info.st_mode & 0o077 != 0 {
            logger.warning("the secret file can be read by other users: chmod 600 it", metadata: ["file": "\(path)"])
        }
    }

    /// The secrets to check a delivery against.
    func current() -> SecretSet {
        lock.lock()
        defer { lock.unlock() }
        let now = ContinuousClock.now
        if now - checkedAt >= .seconds(1) {
            checkedAt = now
            reloadIfChanged()
        }
        return secrets
    }

    /// Re-reads a changed file; a file that became unreadable or empty (an editor halfway
    /// through a save) keeps the secrets loaded before.
    private func reloadIfChanged() {
        let seen = FileIdentity(path: path)
        guard seen != identity else { return }
        identity = seen
        do {
            secrets = try SecretSet.load(from: path)
            logger.notice("secret file re-read", metadata: ["secrets": "\(secrets.keys.count)", "file": "\(path)"])
        } catch {
            logger.error(
                "secret file changed but cannot be used; keeping the secrets loaded before",
                metadata: ["error": "\(error)", "secrets": "\(secrets.keys.count)"])
        }
    }
}

/// What tells that a file changed: device, inode, size and modification time.
struct FileIdentity: Equatable {
    let device: UInt64
    let inode: UInt64
    let size: Int64
    let modifiedSeconds: Int
    let modifiedNanoseconds: Int

    init?(path: String) {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        device = UInt64(info.st_dev)
        inode = UInt64(info.st_ino)
        size = Int64(info.st_size)
        modifiedSeconds = Int(info.st_mtim.tv_sec)
        modifiedNanoseconds = Int(info.st_mtim.tv_nsec)
    }
}

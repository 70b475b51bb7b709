import Foundation
import OverlayCore

/// Where a crontab's text is read from and written to.
public protocol CrontabStore: Sendable {
    /// The whole crontab; empty when there is none yet.
    func read() throws(CrontabError) -> String
    /// Replaces the whole crontab with `text`.
    func write(_ text: String) throws(CrontabError)
}

/// The current user's crontab, through the real `crontab` command.
public struct UserCrontabStore: CrontabStore {
    let process: CrontabProcess

    /// Locates `crontab`; fails when the cron package is not installed.
    public init(timeout: Double = 30) throws(CrontabError) {
        process = try CrontabProcess.locate(timeout: timeout)
    }

    public func read() throws(CrontabError) -> String {
        let result = try process.run(["-l"])
        if result.status != 0 {
            // Debian's crontab says "no crontab for USER" and exits 1 for a user without one.
            if result.stderr.contains("no crontab for") { return "" }
            throw .crontabFailed(command: "crontab -l", status: result.status, stderr: result.stderr)
        }
        // Bytes that are not UTF-8 (a user's Latin-1 comment) are kept as they are.
        return CrontabBytes.decode(result.stdout)
    }

    public func write(_ text: String) throws(CrontabError) {
        // crontab(1) parses the whole file and refuses to install it on any error.
        let result = try process.run(["-"], input: CrontabBytes.encode(text))
        if result.status != 0 {
            throw .crontabFailed(command: "crontab -", status: result.status, stderr: result.stderr)
        }
    }
}

/// A crontab-format file such as /etc/cron.d/overlay, replaced atomically.
///
/// A target that is a symlink is written through: the real file is replaced (the link stays),
/// keeping that file's owner and mode. A link to nothing is refused.
public struct FileCrontabStore: CrontabStore {
    /// Absolute path of the file.
    public let path: String

    public init(path: String) {
        self.path = path
    }

    public func read() throws(CrontabError) -> String {
        let data: Data
        do { data = try POSIX.readFile(path) } catch {
            if case .io(_, _, let code) = error, code == ENOENT { return "" }
            if case .io(_, _, let code) = error { throw .io(path: path, message: "cannot read: \(ErrnoText.describe(code))") }
            throw .io(path: path, message: "cannot read: \(error)")
        }
        // Bytes that are not UTF-8 (a user's Latin-1 comment) are kept as they are.
        return CrontabBytes.decode(data)
    }

    /// The file a write replaces: `path`, or the file its symlinks lead to.
    static func realFile(_ path: String) throws(CrontabError) -> String {
        var info = stat()
        guard lstat(path, &info) == 0, info.st_mode & S_IFMT == S_IFLNK else { return path }
        guard let resolved = realpath(path, nil) else {
            let target = (try? FileManager.default.destinationOfSymbolicLink(atPath: path)) ?? "?"
            throw .io(
                path: path,
                message:
                    "is a symlink to \(target), which does not exist; create that file, or point overlay_crontab at a real file")
        }
        defer { free(resolved) }
        return String(decoding: UnsafeRawBufferPointer(start: resolved, count: strlen(resolved)), as: UTF8.self)
    }

    /// Writes a temporary file beside the real target, with the target's owner and mode, fsyncs
    /// it, renames it over the target and fsyncs the folder.
    ///
    /// The temporary file is named `.NAME.overlay-PID-RANDOM`: one left by a run that was killed
    /// (its PID is gone) is removed by the next write, so a signal never leaves one for good.
    public func write(_ text: String) throws(CrontabError) {
        let target = try Self.realFile(path)
        let url = URL(fileURLWithPath: target)
        let dir = url.deletingLastPathComponent().path
        removeStaleTemporaries(in: dir, name: url.lastPathComponent)
        // A dot in the name makes cron skip the temporary file in /etc/cron.d.
        let temp = dir + "/" + Self.temporaryPrefix(url.lastPathComponent) + "\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        var mode: mode_t = 0o644
        var owner: (uid: uid_t, gid: gid_t)?
        var info = stat()
        if stat(target, &info) == 0 {
            mode = info.st_mode & 0o7777
            owner = (info.st_uid, info.st_gid)
        }
        let fd = open(temp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard fd >= 0 else { throw .io(path: temp, message: "cannot create: \(ErrnoText.describe(errno))") }
        var failure: String?
        let bytes = [UInt8](CrontabBytes.encode(text))
        var offset = 0
        while offset < bytes.count, failure == nil {
            let n = bytes[offset...].withUnsafeBytes { Foundation.write(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n < 0 { failure = "write failed: \(ErrnoText.describe(errno))" } else { offset += n }
        }
        // The replacement keeps the file's owner: a crontab owned by its user stays theirs.
        if failure == nil, let owner, owner.uid != geteuid() || owner.gid != getegid(), fchown(fd, owner.uid, owner.gid) != 0 {
            failure = "cannot keep its owner \(owner.uid):\(owner.gid): \(ErrnoText.describe(errno)); run as that user or as root"
        }
        if failure == nil, fchmod(fd, mode) != 0 { failure = "chmod failed: \(ErrnoText.describe(errno))" }
        if failure == nil, fsync(fd) != 0 { failure = "fsync failed: \(ErrnoText.describe(errno))" }
        close(fd)
        if failure == nil, rename(temp, target) != 0 { failure = "rename failed: \(ErrnoText.describe(errno))" }
        if let failure {
            unlink(temp)
            throw .io(path: target, message: failure)
        }
        // The rename must survive a crash: the new block is what the generation says is installed.
        do { try POSIX.fsyncPath(dir) } catch {
            if case .io(_, _, let code) = error {
                throw .io(path: dir, message: "fsync of the folder after installing the crontab failed: \(ErrnoText.describe(code))")
            }
        }
    }

    /// `.NAME.overlay-`: what every temporary file of a write to NAME starts with.
    static func temporaryPrefix(_ name: String) -> String { "." + name + ".overlay-" }

    /// Removes temporary files of earlier writes whose process is gone (killed mid-write).
    func removeStaleTemporaries(in dir: String, name: String) {
        let prefix = Self.temporaryPrefix(name)
        for entry in POSIX.listDirectory(dir) where entry.hasPrefix(prefix) {
            let rest = entry.dropFirst(prefix.count)
            guard let dash = rest.firstIndex(of: "-"), let pid = pid_t(rest[..<dash]), pid > 0 else { continue }
            if kill(pid, 0) != 0 && errno == ESRCH { unlink(dir + "/" + entry) }
        }
    }
}

import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Writes files so that a crash leaves either the old or the new content, never a mix.
public enum DurableFile {
    /// How the temporary sibling of a file being replaced ends.
    static let temporarySuffix = ".overlay-tmp"

    /// The name of the temporary sibling used while replacing `path`.
    static func temporaryPath(for path: String) -> String {
        let dir = (path as NSString).deletingLastPathComponent
        let base = (path as NSString).lastPathComponent
        return dir + "/." + base + temporarySuffix
    }

    /// Writes `data` to a new file at `path` with `mode` (no temp, no sync: for staging).
    static func create(_ data: Data, at path: String, mode: UInt16, sync: Bool = false) throws(ApplyError) {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, mode_t(mode))
        if fd < 0 { throw .io(operation: "create", path: path, errno: errno) }
        defer { close(fd) }
        // The umask must not widen or narrow what `mode:` says.
        if fchmod(fd, mode_t(mode)) != 0 { throw .io(operation: "chmod", path: path, errno: errno) }
        let failed: Int32 = data.withUnsafeBytes { raw in
            guard let base = raw.baseAddress else { return 0 }
            var done = 0
            while done < raw.count {
                let n = write(fd, base + done, raw.count - done)
                if n < 0 { if errno == EINTR { continue }; return errno }
                done += n
            }
            return 0
        }
        if failed != 0 { throw .io(operation: "write", path: path, errno: failed) }
        if sync && fsync(fd) != 0 { throw .io(operation: "fsync", path: path, errno: errno) }
    }

    /// Replaces `path` atomically: write a temp sibling, fsync it, rename it over, fsync the folder.
    /// When a step fails the temp sibling is removed: nothing is left next to `path`.
    ///
    /// `sync: false` keeps the atomicity (a reader sees the old or the new file) and drops the
    /// two flushes: for a record that may be lost to a power cut, never torn (after one it may
    /// be the previous record, or on some filesystems empty).
    public static func replace(_ path: String, with data: Data, mode: UInt16, sync: Bool = true) throws(ApplyError) {
        let tmp = temporaryPath(for: path)
        try POSIX.unlinkIfPresent(tmp)
        do throws(ApplyError) {
            try create(data, at: tmp, mode: mode, sync: sync)
            try POSIX.rename(tmp, path)
        } catch {
            try? POSIX.unlinkIfPresent(tmp)
            throw error
        }
        if sync { try POSIX.fsyncPath((path as NSString).deletingLastPathComponent) }
    }

    /// Replaces `path` atomically with a copy of `source` (its bytes and mode; a symlink stays a symlink).
    static func replace(_ path: String, withCopyOf source: String) throws(ApplyError) {
        switch try POSIX.lstatEntry(source) {
        case .symlink(let target):
            try replaceWithSymlink(path, target: target)
            try POSIX.fsyncPath((path as NSString).deletingLastPathComponent)
        case .file(let st):
            try replace(path, with: try POSIX.readFile(source), mode: st.mode)
        default:
            throw .io(operation: "copy", path: source, errno: ENOENT)
        }
    }

    /// Points `path` at `target` atomically (a temp symlink renamed over whatever is there).
    /// A failed rename removes the temp symlink.
    static func replaceWithSymlink(_ path: String, target: String) throws(ApplyError) {
        let tmp = temporaryPath(for: path)
        try POSIX.unlinkIfPresent(tmp)
        try POSIX.symlink(target, at: tmp)
        do throws(ApplyError) { try POSIX.rename(tmp, path) } catch {
            try? POSIX.unlinkIfPresent(tmp)
            throw error
        }
    }
}

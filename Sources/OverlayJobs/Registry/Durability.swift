import Foundation
import OverlayCore

/// Making a promoted version durable and immutable before the switch points at it.
enum Durability {
    /// Removes the write bits of every regular file under `path` (folders stay writable, so
    /// an operator can still delete an old version with `rm -r`).
    static func makeReadOnly(_ path: String) {
        let fm = FileManager.default
        var isDir: ObjCBool = false
        guard fm.fileExists(atPath: path, isDirectory: &isDir) else { return }
        let files = isDir.boolValue ? (fm.enumerator(atPath: path)?.compactMap { $0 as? String } ?? []).map { path + "/" + $0 } : [path]
        for file in files {
            var st = stat()
            guard lstat(file, &st) == 0, st.st_mode & S_IFMT == S_IFREG else { continue }
            chmod(file, st.st_mode & 0o7555)
        }
    }

    /// Flushes the file system holding `path` (one `syncfs(2)` for a version of many files).
    static func syncFileSystem(containing path: String) throws(JobsError) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw .registry("cannot open \(path) to make it durable: \(ErrnoText.describe(errno))") }
        defer { close(fd) }
        if let syncfs = syncfsFunction {
            guard syncfs(fd) == 0 else { throw .registry("syncfs \(path): \(ErrnoText.describe(errno))") }
        } else {
            sync()
        }
    }

    /// fsync(2) of a folder: makes a rename inside it durable.
    static func fsyncDirectory(_ path: String) throws(JobsError) {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw .registry("cannot open \(path): \(ErrnoText.describe(errno))") }
        defer { close(fd) }
        guard fsync(fd) == 0 else { throw .registry("fsync \(path): \(ErrnoText.describe(errno))") }
    }

    /// glibc declares syncfs(2) only under _GNU_SOURCE, which Swift's Glibc module does not set.
    static let syncfsFunction: (@convention(c) (Int32) -> Int32)? = {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "syncfs") else { return nil }
        return unsafeBitCast(symbol, to: (@convention(c) (Int32) -> Int32).self)
    }()
}

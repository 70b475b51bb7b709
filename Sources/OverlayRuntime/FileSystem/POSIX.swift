import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// What `lstat` says is at a path, without following a final symlink.
public enum PathEntry: Sendable, Equatable {
    case absent
    case file(FileStat)
    case directory
    case symlink(target: String)
    case other
}

/// The stat fields overlay uses to decide whether a file may have changed.
public struct FileStat: Sendable, Equatable, Codable {
    public var size: Int64
    public var mtimeNanos: Int64
    public var inode: UInt64
    public var mode: UInt16

    public init(size: Int64, mtimeNanos: Int64, inode: UInt64, mode: UInt16) {
        self.size = size
        self.mtimeNanos = mtimeNanos
        self.inode = inode
        self.mode = mode
    }
}

extension FileStat {
    /// Reads the Codable shape of a stat from a JSONSerialization value.
    init?(json: Any?) {
        guard let o = json as? [String: Any], let size = o["size"] as? Int, let mtime = o["mtimeNanos"] as? Int,
            let inode = o["inode"] as? Int, let mode = o["mode"] as? Int
        else { return nil }
        self.init(
            size: Int64(size), mtimeNanos: Int64(mtime), inode: UInt64(truncatingIfNeeded: inode),
            mode: UInt16(truncatingIfNeeded: mode))
    }
}

/// Thin, throwing wrappers over the system calls apply needs.
enum POSIX {
    static func lstatEntry(_ path: String) throws(ApplyError) -> PathEntry {
        var st = stat()
        if lstat(path, &st) != 0 {
            if errno == ENOENT || errno == ENOTDIR { return .absent }
            throw .io(operation: "lstat", path: path, errno: errno)
        }
        switch st.st_mode & S_IFMT {
        case S_IFREG: return .file(fileStat(st))
        case S_IFDIR: return .directory
        case S_IFLNK: return .symlink(target: (try? readLink(path)) ?? "")
        default: return .other
        }
    }

    /// Stat following symlinks; nil when absent.
    static func statFile(_ path: String) -> FileStat? {
        var st = stat()
        guard stat(path, &st) == 0, st.st_mode & S_IFMT == S_IFREG else { return nil }
        return fileStat(st)
    }

    static func fileStat(_ st: stat) -> FileStat {
        #if canImport(Darwin)
            let mtime = Int64(st.st_mtimespec.tv_sec) * 1_000_000_000 + Int64(st.st_mtimespec.tv_nsec)
        #else
            let mtime = Int64(st.st_mtim.tv_sec) * 1_000_000_000 + Int64(st.st_mtim.tv_nsec)
        #endif
        return FileStat(
            size: Int64(st.st_size), mtimeNanos: mtime, inode: UInt64(st.st_ino), mode: UInt16(st.st_mode & 0o7777))
    }

    static func readLink(_ path: String) throws(ApplyError) -> String {
        var buf = [UInt8](repeating: 0, count: Int(PATH_MAX) + 1)
        let n = buf.withUnsafeMutableBufferPointer { p -> Int in
            guard let base = p.baseAddress else { return -1 }
            return base.withMemoryRebound(to: CChar.self, capacity: p.count) { readlink(path, $0, p.count - 1) }
        }
        if n < 0 { throw .io(operation: "readlink", path: path, errno: errno) }
        return String(decoding: buf[0..<n], as: UTF8.self)
    }

    static func readFile(_ path: String) throws(ApplyError) -> Data {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 { throw .io(operation: "open", path: path, errno: errno) }
        defer { close(fd) }
        var st = stat()
        _ = fstat(fd, &st)
        var data = Data(count: max(Int(st.st_size), 0))
        var done = 0
        let total = data.count
        let failed: Int32 = data.withUnsafeMutableBytes { raw in
            guard let base = raw.baseAddress else { return 0 }
            while done < total {
                let n = read(fd, base + done, total - done)
                if n < 0 { if errno == EINTR { continue }; return errno }
                if n == 0 { break }
                done += n
            }
            return 0
        }
        if failed != 0 { throw .io(operation: "read", path: path, errno: failed) }
        if done < total { data.removeSubrange(done..<total) }
        return data
    }

    static func makeDirectory(_ path: String, mode: mode_t = 0o755) throws(ApplyError) {
        if mkdir(path, mode) != 0 && errno != EEXIST { throw .io(operation: "mkdir", path: path, errno: errno) }
    }

    /// Creates `path` and its missing parents (never through a symlink: callers check first).
    static func makeDirectories(_ path: String, mode: mode_t = 0o755) throws(ApplyError) {
        if case .directory = try lstatEntry(path) { return }
        let parent = (path as NSString).deletingLastPathComponent
        if parent != path && !parent.isEmpty { try makeDirectories(parent, mode: mode) }
        try makeDirectory(path, mode: mode)
    }

    static func rename(_ from: String, _ to: String) throws(ApplyError) {
        if Foundation.rename(from, to) != 0 { throw .io(operation: "rename", path: "\(from) -> \(to)", errno: errno) }
    }

    static func symlink(_ target: String, at path: String) throws(ApplyError) {
        if Foundation.symlink(target, path) != 0 { throw .io(operation: "symlink", path: path, errno: errno) }
    }

    /// Removes a file or symlink; absent is fine.
    static func unlinkIfPresent(_ path: String) throws(ApplyError) {
        if unlink(path) != 0 && errno != ENOENT { throw .io(operation: "unlink", path: path, errno: errno) }
    }

    /// Removes a tree (for staging and pruned generations only, never in a home).
    static func removeTree(_ path: String) {
        try? FileManager.default.removeItem(atPath: path)
    }

    static func fsyncPath(_ path: String) throws(ApplyError) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 { throw .io(operation: "open", path: path, errno: errno) }
        defer { close(fd) }
        if fsync(fd) != 0 { throw .io(operation: "fsync", path: path, errno: errno) }
    }

    /// Flushes the whole file system holding `path` (one call for a generation of many files).
    static func syncFileSystem(containing path: String) throws(ApplyError) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 { throw .io(operation: "open", path: path, errno: errno) }
        defer { close(fd) }
        if let syncfs = syncfsFunction {
            if syncfs(fd) != 0 { throw .io(operation: "syncfs", path: path, errno: errno) }
        } else {
            // No syncfs(2) (not Linux): flush everything the slow, portable way.
            sync()
        }
    }

    /// glibc declares syncfs(2) only under _GNU_SOURCE, which Swift's Glibc module does not set.
    static let syncfsFunction: (@convention(c) (Int32) -> Int32)? = {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "syncfs") else { return nil }
        return unsafeBitCast(symbol, to: (@convention(c) (Int32) -> Int32).self)
    }()

    static func listDirectory(_ path: String) -> [String] {
        (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
    }
}

import Foundation

/// A file's bytes read with open/fstat/read/close: four system calls, where
/// `FileManager.contents(atPath:)` spends seventeen (two `lstat`s, `/etc/passwd` and
/// `/etc/group` for the owner's name, `listxattr`) on attributes nobody reads.
enum FileBytes {
    /// What reading a file gave.
    enum Outcome {
        /// The whole file.
        case bytes([UInt8])
        /// The file (a symlink's target) is larger than the limit: not read.
        case tooLarge(Int)
        /// It could not be opened or read: why, in words (`ErrnoText`).
        case unreadable(String)
    }

    /// Reads the file at `path` when it is at most `limit` bytes.
    ///
    /// Anything that is not a regular file (a FIFO, a device, a folder) is handed to
    /// FileManager as before, so such entries behave exactly as they always did; the
    /// descriptor is opened non-blocking so that opening a FIFO cannot wait for a writer.
    static func read(_ path: String, limit: Int) -> Outcome {
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { return legacy(path, limit: limit, failure: errno) }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { return legacy(path, limit: limit, failure: errno) }
        guard st.st_mode & S_IFMT == S_IFREG else {
            return legacy(path, limit: limit, failure: st.st_mode & S_IFMT == S_IFDIR ? EISDIR : 0)
        }
        let size = Int(st.st_size)
        if size > limit { return .tooLarge(size) }
        var failure: Int32 = 0
        // Read straight into the array's storage: no zero-fill first.
        let bytes = [UInt8](unsafeUninitializedCapacity: size) { buffer, initialized in
            var got = 0
            while got < size, let base = buffer.baseAddress {
                let n = Foundation.read(fd, base + got, size - got)
                if n > 0 {
                    got += n
                } else if n == 0 {
                    break
                } else if errno != EINTR {
                    failure = errno
                    break
                }
            }
            // A file that shrank while being read is what was there.
            initialized = got
        }
        guard failure == 0 else { return legacy(path, limit: limit, failure: failure) }
        // Bytes appended after fstat are not read: the file as it was measured.
        return .bytes(bytes)
    }

    /// The earlier path, unchanged: a size from `stat`, then FileManager. When that fails too,
    /// `failure` (the errno of the first attempt) says why: out of descriptors reads as that,
    /// with the limit and the fix, not as a permissions problem.
    private static func legacy(_ path: String, limit: Int, failure: Int32) -> Outcome {
        var st = stat()
        if stat(path, &st) == 0, Int(st.st_size) > limit { return .tooLarge(Int(st.st_size)) }
        guard let data = FileManager.default.contents(atPath: path) else { return .unreadable(reason(failure)) }
        return .bytes([UInt8](data))
    }

    /// Why a read failed, in words a user can act on: the resource shortage with its limit and
    /// fix, or the system's word for it and a hint at permissions.
    static func reason(_ code: Int32) -> String {
        switch code {
        case EMFILE, ENFILE: return ErrnoText.describe(code)
        case 0: return "check its permissions"
        default: return ErrnoText.describe(code).lowercased() + "; check its permissions"
        }
    }
}

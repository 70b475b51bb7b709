import Foundation

/// Writes scanned tree entries under a fresh folder, never following a symlink: every entry
/// is created relative to its parent's open descriptor with `O_NOFOLLOW` and `O_EXCL`, so
/// nothing already there — or written earlier by the same tree — is written through.
struct TreeWriter {
    let root: String
    let blobs: BlobReader

    /// Writes `entries` (pre-order) into `root`, which must be an empty folder.
    func write(_ entries: [TreeEntry]) throws(GitError) -> (files: Int, symlinks: Int, directories: Int, bytes: Int) {
        let rootFD = open(root, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard rootFD >= 0 else { throw .io(operation: "open", path: root, errno: errno) }
        // Descriptors of the folders on the way to the current entry; [0] is the root.
        var stack: [Int32] = [rootFD]
        defer { for fd in stack { close(fd) } }
        var counts = (files: 0, symlinks: 0, directories: 0, bytes: 0)
        for entry in entries {
            while stack.count > entry.components.count {
                if let fd = stack.popLast() { close(fd) }
            }
            guard let parent = stack.last, let name = entry.components.last else { continue }
            let path = root + "/" + entry.path
            switch entry.kind {
            case .directory:
                guard mkdirat(parent, name, 0o755) == 0 else { throw .io(operation: "mkdir", path: path, errno: errno) }
                let fd = openat(parent, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
                guard fd >= 0 else { throw .io(operation: "open", path: path, errno: errno) }
                stack.append(fd)
                guard fchmod(fd, 0o755) == 0 else { throw .io(operation: "chmod", path: path, errno: errno) }
                counts.directories += 1
            case .file(let oid, let executable, _):
                let written = try blobs.withBytes(oid, path: entry.path) { bytes throws(GitError) in
                    try Self.create(name, in: parent, path: path, bytes: bytes, mode: executable ? 0o755 : 0o644)
                }
                counts.files += 1
                counts.bytes += written
            case .symlink(let target):
                guard symlinkat(target, parent, name) == 0 else { throw .io(operation: "symlink", path: path, errno: errno) }
                counts.symlinks += 1
            }
        }
        return counts
    }

    /// Creates a new file with exactly `mode` (whatever the umask) and `bytes`.
    private static func create(
        _ name: String, in parent: Int32, path: String, bytes: UnsafeRawBufferPointer, mode: mode_t
    ) throws(GitError) -> Int {
        let fd = openat(parent, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode)
        guard fd >= 0 else { throw .io(operation: "create", path: path, errno: errno) }
        defer { close(fd) }
        guard fchmod(fd, mode) == 0 else { throw .io(operation: "chmod", path: path, errno: errno) }
        var done = 0
        while done < bytes.count, let base = bytes.baseAddress {
            let n = Glibc.write(fd, base + done, bytes.count - done)
            if n < 0 {
                if errno == EINTR { continue }
                throw .io(operation: "write", path: path, errno: errno)
            }
            done += n
        }
        return done
    }
}

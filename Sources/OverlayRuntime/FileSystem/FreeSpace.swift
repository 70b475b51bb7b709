import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Checks, before a generation is staged, that its file system has room for it.
///
/// Without the check a full disk is found half-way through staging; the staging folder is
/// removed then too, but the check fails faster, writes nothing and names the sizes.
enum FreeSpace {
    /// Room kept free beyond the generation itself (records, folders, a journal entry).
    static let marginBytes: Int64 = 1 << 20
    static let marginInodes: Int64 = 16

    /// What a generation of `sizes` (bytes per file, backups included) in `folders` folders needs.
    struct Need: Equatable {
        var bytes: Int64
        var inodes: Int64
    }

    /// Bytes and inodes the files take on a file system with `block`-byte blocks.
    static func need(sizes: [Int], folders: Int, block: Int64) -> Need {
        let b = max(block, 1)
        let data = sizes.reduce(Int64(0)) { $0 + (Int64($1) + b - 1) / b * b }
        // Three records (generation.json, header.json, files.tsv) of about 300 bytes a file.
        let records = (Int64(sizes.count) * 300 + 3 * b) / b * b
        return Need(bytes: data + records + Int64(folders) * b, inodes: Int64(sizes.count + folders + 3))
    }

    /// Throws `.noSpace` when the file system holding `path` has less room than `sizes` need.
    static func require(sizes: [Int], folders: Int, in path: String) throws(ApplyError) {
        var st = statvfs()
        guard statvfs(path, &st) == 0 else { return }  // cannot tell: let the writes decide
        let block = Int64(st.f_frsize)
        let need = need(sizes: sizes, folders: folders, block: block)
        let freeBytes = Int64(st.f_bavail) * block
        if need.bytes + marginBytes > freeBytes {
            throw .noSpace(path: path, needed: need.bytes + marginBytes, free: freeBytes, unit: "bytes")
        }
        // A file system without an inode count (f_files 0) has no inode limit to check.
        if st.f_files > 0, need.inodes + marginInodes > Int64(st.f_favail) {
            throw .noSpace(path: path, needed: need.inodes + marginInodes, free: Int64(st.f_favail), unit: "inodes")
        }
    }
}

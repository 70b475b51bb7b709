import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Who a seeded file belongs to: the owner of its home when the apply runs as root, else the
/// apply's user (nothing to change). A seed is the program's after the first write, and the
/// program runs as the home's user.
struct SeedOwner {
    /// The uid and gid to give, or nil when nothing is to be changed.
    let owner: (uid: uid_t, gid: gid_t)?

    init(home: String?) throws(ApplyError) {
        guard geteuid() == 0, let home else {
            owner = nil
            return
        }
        var st = stat()
        guard lstat(home, &st) == 0 else {
            // A home this run creates is root's like the rest of what it writes there.
            if errno == ENOENT {
                owner = nil
                return
            }
            throw .io(operation: "stat", path: home, errno: errno)
        }
        owner = st.st_uid == 0 && st.st_gid == 0 ? nil : (st.st_uid, st.st_gid)
    }

    /// Makes the missing folders of `path` (0755), each given to the owner. A link put in place
    /// of a folder meanwhile is never followed by the chown.
    func makeDirectories(_ path: String) throws(ApplyError) {
        var missing: [String] = []
        var p = path
        while !p.isEmpty && p != "/", case .absent = try POSIX.lstatEntry(p) {
            missing.append(p)
            p = (p as NSString).deletingLastPathComponent
        }
        try POSIX.makeDirectories(path)
        for folder in missing.reversed() { try give(folder) }
    }

    /// Gives `path` itself (never what a link there points to) to the owner.
    func give(_ path: String) throws(ApplyError) {
        guard let owner else { return }
        if lchown(path, owner.uid, owner.gid) != 0 { throw .io(operation: "chown", path: path, errno: errno) }
    }
}

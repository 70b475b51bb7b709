import Foundation
import OverlayCore
import OverlayRuntime

#if canImport(Glibc)
    import Glibc
#endif

/// The harness's managed scope (`managed:`) before the switch. Its files are copies in the
/// generation's home `hermes-managed` and are switched, rolled back and checked for drift like
/// any other; what this step adds is what the executor cannot know:
///
/// - **rights**, before anything changes: an apply that cannot write the folder (not root, and
///   `/etc/hermes` is root's) fails with what to do, never half-applied;
/// - **the folder**, as the harness expects it: root-owned 0755 — with the agent's group and
///   the setgid bit when a `.env` is written, so the files written into it get that group and
///   the agent can read the 0640 `.env` while only root can change it;
/// - with `lock_config`, the folders the harness demands of a `.managed` home (it creates none
///   itself then, and stops with "cron does not exist" without them).
struct ManagedScopeStep {
    let scope: RenderedManagedScope

    /// Fails when this user cannot write the managed scope's folder.
    func check() throws(ApplyError) {
        try Self.requireWritable(scope.dir)
    }

    /// Creates the folder or puts its owner and mode right; returns what it changed, one line each.
    ///
    /// As root this changes owners in places another user may reach, so nothing is followed: a
    /// folder reached through a symlink is refused, and owner and mode are set on the open folder.
    func prepare() throws(ApplyError) -> [String] {
        let root = geteuid() == 0
        let gid = root ? try groupID() : nil
        var st = stat()
        // Checked before making anything: a folder is never made through a link.
        try Self.refuseLinks(scope.dir)
        if lstat(scope.dir, &st) != 0 { try Self.makeFolder(scope.dir) }
        try Self.refuseLinks(scope.dir)
        let fd = open(scope.dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else { throw .io(operation: "open", path: scope.dir, errno: errno) }
        defer { close(fd) }
        guard fstat(fd, &st) == 0 else { throw .io(operation: "stat", path: scope.dir, errno: errno) }
        var notes: [String] = []
        if let gid {
            let wanted: mode_t = gid == 0 ? 0o755 : 0o2755
            if st.st_uid != 0 || st.st_gid != gid || st.st_mode & 0o7777 != wanted {
                if fchown(fd, 0, gid) != 0 { throw .io(operation: "chown", path: scope.dir, errno: errno) }
                if fchmod(fd, wanted) != 0 { throw .io(operation: "chmod", path: scope.dir, errno: errno) }
                let was = String(st.st_mode & 0o7777, radix: 8)
                notes.append(
                    "managed scope \(scope.dir): owner uid \(st.st_uid) gid \(st.st_gid) mode \(was) set to uid 0 gid \(gid) mode \(String(wanted, radix: 8)) (the agent may read it, not write it)"
                )
            }
        }
        var home = stat()
        if gid == 0 && scope.hasEnv && scope.group == nil && stat(scope.hermesHome, &home) == 0 && home.st_uid != 0 {
            notes.append(
                "managed scope \(scope.dir): its .env is readable by root only (the harness's home \(scope.hermesHome) is uid \(home.st_uid)'s but root's group); the harness, running as that user, fails at start on it — set managed.group to the agent's group"
            )
        }
        if scope.lockConfig { try makeLockedHomeFolders() }
        return notes
    }

    /// Refuses a folder whose path holds a symlink (its real location is not the one declared);
    /// a folder not made yet is judged by the part of its path that exists.
    private static func refuseLinks(_ dir: String) throws(ApplyError) {
        var existing = dir
        var st = stat()
        while existing != "/" && lstat(existing, &st) != 0 { existing = (existing as NSString).deletingLastPathComponent }
        guard let resolved = realpath(existing, nil) else { throw .io(operation: "realpath", path: existing, errno: errno) }
        defer { free(resolved) }
        let real = String(cString: resolved)
        if real != existing {
            throw .homeIsSymlink(home: dir, target: (real as NSString).appendingPathComponent(String(dir.dropFirst(existing.count))))
        }
    }

    /// The group of the `.env`: `managed.group`, else the group owning the harness's home, else root's.
    private func groupID() throws(ApplyError) -> gid_t {
        guard scope.hasEnv else { return 0 }
        if let name = scope.group {
            guard let entry = getgrnam(name) else {
                throw .unsafeHome(
                    name: RenderedManagedScope.homeName, path: scope.dir,
                    reason: "managed.group '\(name)' is not a group on this machine; name the group the agent runs with")
            }
            return entry.pointee.gr_gid
        }
        var st = stat()
        return stat(scope.hermesHome, &st) == 0 ? st.st_gid : 0
    }

    /// The folders the harness requires of a home with the `.managed` marker (0700, like its own),
    /// owned like the home when run as root. Made with `mkdirat` and `fchownat` under the open
    /// home, never following a link: the home belongs to the agent, this may run as root.
    private func makeLockedHomeFolders() throws(ApplyError) {
        var st = stat()
        if lstat(scope.hermesHome, &st) != 0 { try Self.makeFolder(scope.hermesHome, mode: 0o700) }
        let home = open(scope.hermesHome, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard home >= 0 else { throw .io(operation: "open", path: scope.hermesHome, errno: errno) }
        defer { close(home) }
        guard fstat(home, &st) == 0 else { throw .io(operation: "stat", path: scope.hermesHome, errno: errno) }
        let owner = (st.st_uid, st.st_gid)
        for name in ["cron", "sessions", "logs", "memories"] { try Self.makeFolder(in: home, name, owner: owner, shown: scope.hermesHome) }
        let logs = openat(home, "logs", O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard logs >= 0 else { throw .io(operation: "open", path: scope.hermesHome + "/logs", errno: errno) }
        defer { close(logs) }
        try Self.makeFolder(in: logs, "curator", owner: owner, shown: scope.hermesHome + "/logs")
    }

    /// `name` under the open folder `parent`, 0700, owned by `owner` when run as root.
    private static func makeFolder(in parent: Int32, _ name: String, owner: (uid_t, gid_t), shown: String) throws(ApplyError) {
        if mkdirat(parent, name, 0o700) != 0 {
            if errno == EEXIST { return }
            throw .io(operation: "mkdir", path: shown + "/" + name, errno: errno)
        }
        if geteuid() == 0 && fchownat(parent, name, owner.0, owner.1, AT_SYMLINK_NOFOLLOW) != 0 {
            throw .io(operation: "chown", path: shown + "/" + name, errno: errno)
        }
    }

    /// The folder and the missing folders above it (0755, the folder itself `mode`).
    private static func makeFolder(_ path: String, mode: mode_t = 0o755) throws(ApplyError) {
        var missing: [String] = []
        var p = path
        var st = stat()
        while p != "/" && lstat(p, &st) != 0 {
            missing.append(p)
            p = (p as NSString).deletingLastPathComponent
        }
        for folder in missing.reversed() {
            let wanted = folder == path ? mode : 0o755
            if mkdir(folder, wanted) != 0 {
                if errno == EEXIST { continue }
                throw .io(operation: "mkdir", path: folder, errno: errno)
            }
            // The umask must not narrow it: a folder the agent cannot pass hides the policy from it.
            _ = chmod(folder, wanted)
        }
    }

    /// Throws, with what to do, when this user cannot create or replace files in `dir`.
    static func requireWritable(_ dir: String) throws(ApplyError) {
        var existing = dir
        var st = stat()
        while existing != "/" && lstat(existing, &st) != 0 { existing = (existing as NSString).deletingLastPathComponent }
        if access(existing, W_OK | X_OK) == 0 { return }
        let user = getpwuid(geteuid()).map { String(cString: $0.pointee.pw_name) } ?? "uid \(geteuid())"
        let place = existing == dir ? dir : "\(existing) (to create \(dir))"
        throw .unsafeHome(
            name: RenderedManagedScope.homeName, path: dir,
            reason:
                "the harness's managed scope \(dir) cannot be written by \(user) (uid \(geteuid())): \(place) is not writable. Run the apply as root (sudo), which the managed scope is for — the agent must not be able to change it — or, for a test, set the host var managed_dir to a folder this user owns"
        )
    }
}

extension ManagedScopeStep {
    /// Before a rollback: the managed scope of the generation left and of the one made live must
    /// both be writable (their files are switched back or removed), else the rollback is refused.
    static func checkRollback(stateDir: StateDirectory, to: Int?) throws(ApplyError) {
        let store = GenerationStore(state: stateDir)
        // A dangling `current` is not this check's to report: the rollback recovers from it.
        let current = (try? store.current()) ?? nil
        let target = to ?? current.flatMap { live in store.numbers().filter { $0 < live.number }.last }
        var dirs = [current?.homes[RenderedManagedScope.homeName]]
        if let target, target != current?.number, let record = try? store.load(target) {
            dirs.append(record.homes[RenderedManagedScope.homeName])
        }
        for dir in Set(dirs.compactMap { $0 }).sorted() { try requireWritable(dir) }
    }
}

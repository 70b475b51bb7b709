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
    func prepare() throws(ApplyError) -> [String] {
        let root = geteuid() == 0
        let gid = root ? try groupID() : nil
        var notes: [String] = []
        var st = stat()
        if lstat(scope.dir, &st) != 0 {
            try Self.makeFolder(scope.dir)
            guard lstat(scope.dir, &st) == 0 else { throw .io(operation: "stat", path: scope.dir, errno: errno) }
        }
        if let gid {
            let wanted: mode_t = gid == 0 ? 0o755 : 0o2755
            if st.st_uid != 0 || st.st_gid != gid || st.st_mode & 0o7777 != wanted {
                if chown(scope.dir, 0, gid) != 0 { throw .io(operation: "chown", path: scope.dir, errno: errno) }
                if chmod(scope.dir, wanted) != 0 { throw .io(operation: "chmod", path: scope.dir, errno: errno) }
                let was = String(st.st_mode & 0o7777, radix: 8)
                notes.append(
                    "managed scope \(scope.dir): owner uid \(st.st_uid) gid \(st.st_gid) mode \(was) set to uid 0 gid \(gid) mode \(String(wanted, radix: 8)) (the agent may read it, not write it)"
                )
            }
        }
        if scope.lockConfig { try makeLockedHomeFolders() }
        return notes
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
    /// owned like the home when run as root.
    private func makeLockedHomeFolders() throws(ApplyError) {
        var home = stat()
        let hasHome = stat(scope.hermesHome, &home) == 0
        for sub in ["", "/cron", "/sessions", "/logs", "/logs/curator", "/memories"] {
            let path = scope.hermesHome + sub
            var st = stat()
            guard lstat(path, &st) != 0 else { continue }
            if mkdir(path, 0o700) != 0 && errno != EEXIST { throw .io(operation: "mkdir", path: path, errno: errno) }
            if geteuid() == 0 && hasHome { _ = chown(path, home.st_uid, home.st_gid) }
        }
    }

    /// The folder and the missing folders above it, 0755.
    private static func makeFolder(_ path: String) throws(ApplyError) {
        var missing: [String] = []
        var p = path
        var st = stat()
        while p != "/" && lstat(p, &st) != 0 {
            missing.append(p)
            p = (p as NSString).deletingLastPathComponent
        }
        for folder in missing.reversed() where mkdir(folder, 0o755) != 0 && errno != EEXIST {
            throw .io(operation: "mkdir", path: folder, errno: errno)
        }
        for folder in missing.reversed() { _ = chmod(folder, 0o755) }
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
        guard let current = try store.current() else { return }
        let target = to ?? store.numbers().filter { $0 < current.number }.last
        var dirs = [current.homes[RenderedManagedScope.homeName]]
        if let target, target != current.number, let record = try? store.load(target) {
            dirs.append(record.homes[RenderedManagedScope.homeName])
        }
        for dir in Set(dirs.compactMap { $0 }).sorted() { try requireWritable(dir) }
    }
}

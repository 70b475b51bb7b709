import Foundation

/// Lock files and temp packs an interrupted fetch (a kill, a power cut) leaves in the
/// mirror. libgit2 holds a ref's lock for milliseconds and never takes over a lock it did
/// not make, so one left behind would fail every later fetch; these are removed once they
/// are clearly abandoned. Called with the fetch lock held, so no overlay fetch is running:
/// a young lock can only be a person's `git` at work in the mirror.
enum StaleMirrorFiles {
    /// Locks older than this are abandoned (a live one is held for milliseconds).
    static let lockAge: TimeInterval = 5
    /// Temp packs older than this are abandoned (a live one grows while the fetch runs).
    static let packAge: TimeInterval = 3600

    /// Removes abandoned `*.lock` files (refs, packed-refs, config, HEAD) and temp packs.
    static func removeAbandoned(in mirror: String, now: Date = Date()) {
        let fm = FileManager.default
        var candidates: [(path: String, age: TimeInterval)] = []
        for name in (try? fm.contentsOfDirectory(atPath: mirror)) ?? [] where name.hasSuffix(".lock") {
            candidates.append((mirror + "/" + name, lockAge))
        }
        if let refs = fm.enumerator(atPath: mirror + "/refs") {
            for case let rel as String in refs where rel.hasSuffix(".lock") {
                candidates.append((mirror + "/refs/" + rel, lockAge))
            }
        }
        for name in (try? fm.contentsOfDirectory(atPath: mirror + "/objects/pack")) ?? [] where name.contains("_git2_") {
            candidates.append((mirror + "/objects/pack/" + name, packAge))
        }
        for (path, age) in candidates {
            var st = stat()
            guard lstat(path, &st) == 0, st.st_mode & S_IFMT == S_IFREG else { continue }
            if now.timeIntervalSince1970 - TimeInterval(st.st_mtim.tv_sec) > age { unlink(path) }
        }
    }

    /// Removes temp folders of first clones that were killed (`.NAME.clone-*`). With the
    /// fetch lock held no clone is running, so every one of them is abandoned.
    static func removeAbandonedClones(of mirror: String) {
        let parent = (mirror as NSString).deletingLastPathComponent
        let prefix = "." + (mirror as NSString).lastPathComponent + ".clone-"
        for name in (try? FileManager.default.contentsOfDirectory(atPath: parent)) ?? [] where name.hasPrefix(prefix) {
            try? FileManager.default.removeItem(atPath: parent + "/" + name)
        }
    }
}

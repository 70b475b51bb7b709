import Foundation
import OverlayCore

/// Re-checks, at execution time, that every write stays inside a home, out of protected paths
/// and out of overlay's own state dir.
///
/// The renderer checks the same rules on the declared paths; this guard also sees the
/// disk as it is now, so a symlink planted in a home after rendering is refused too, and a
/// home is judged by where it really is: a home that is itself a symlink is refused, and
/// symlinks above it (`/home` → `/data/home`) are resolved before the system-folder and
/// state-dir checks (docs/apply.md).
struct PathGuard {
    /// Home name → absolute path, as declared.
    let homes: [(name: String, path: String)]
    let protected: [String]
    /// The state dir, as given; nil when the caller has none to protect.
    let stateDir: String?
    /// Folders already seen to be real folders in this run (each is lstat'ed once).
    private var verified: Set<String> = []
    /// Declared home → its real location, once checked.
    private var realHomes: [String: String] = [:]
    /// Homes already found fit to be homes.
    private var safeHomes: Set<String> = []
    /// The state dir with the symlinks above it resolved.
    private var realStateDir: String?

    init(homes: [String: String], protected: [String], stateDir: String? = nil) {
        self.homes = homes.map { (name: $0.key, path: Self.trimmed($0.value)) }
            .sorted { $0.path.count > $1.path.count }
        self.protected = protected.map(Self.trimmed)
        self.stateDir = stateDir.map(Self.trimmed)
        self.realStateDir = self.stateDir.map(Self.realLocation)
    }

    static func trimmed(_ path: String) -> String {
        path.count > 1 && path.hasSuffix("/") ? String(path.dropLast()) : path
    }

    /// True when `path` is `root` or below it.
    static func isInside(_ path: String, _ root: String) -> Bool {
        path == root || path.hasPrefix(root == "/" ? "/" : root + "/")
    }

    /// The home holding `dest` and the path relative to it, after every check.
    mutating func locate(_ dest: String) throws(ApplyError) -> (home: String, relative: String) {
        let parts = dest.split(separator: "/", omittingEmptySubsequences: false)
        if !dest.hasPrefix("/") || parts.dropFirst().contains(where: { $0.isEmpty || $0 == "." || $0 == ".." }) {
            throw .unnormalizedPath(path: dest)
        }
        guard let home = homes.first(where: { Self.isInside(dest, $0.path) && dest != $0.path }) else {
            throw .outsideHomes(path: dest, homes: homes.map(\.path).sorted())
        }
        for p in protected where Self.isInside(dest, p) || Self.isInside(p, dest) {
            throw .insideProtected(path: dest, protected: p)
        }
        let relative = String(dest.dropFirst(home.path.count + 1))
        let real = try realHome(home)
        if let stateDir, let realStateDir,
            HomeRule.touchesStateDir(dest, stateDir: stateDir) || HomeRule.touchesStateDir(real + "/" + relative, stateDir: realStateDir)
        {
            throw .insideStateDir(path: dest, stateDir: stateDir)
        }
        try checkHome(home, real: real)
        // Every folder between the home and the file must be a real folder (or not exist yet).
        var current = home.path
        for component in relative.split(separator: "/").dropLast() {
            current += "/" + component
            if verified.contains(current) { continue }
            switch try POSIX.lstatEntry(current) {
            case .absent: return (home.name, relative)
            case .directory: verified.insert(current)
            case .symlink(let target): throw .symlinkInPath(path: dest, link: current, target: target)
            case .file, .other: throw .directoryInTheWay(path: current)
            }
        }
        return (home.name, relative)
    }

    /// Where `home` really is (once per home). A home that is itself a symlink is refused.
    private mutating func realHome(_ home: (name: String, path: String)) throws(ApplyError) -> String {
        if let known = realHomes[home.path] { return known }
        if case .symlink(let target) = try POSIX.lstatEntry(home.path) {
            throw .homeIsSymlink(home: home.path, target: target)
        }
        let real = Self.realLocation(home.path)
        realHomes[home.path] = real
        return real
    }

    /// A home may not be `/` or a system folder, nor hold or lie in the state dir — as declared,
    /// and where it really is.
    private mutating func checkHome(_ home: (name: String, path: String), real: String) throws(ApplyError) {
        guard !safeHomes.contains(home.path) else { return }
        for (path, state) in [(home.path, stateDir), (real, realStateDir)] {
            if let problem = HomeRule.problem(home: path, stateDir: state) {
                let shown = path == home.path ? home.path : "\(home.path), really \(path)"
                throw .unsafeHome(name: home.name, path: home.path, reason: problem.message(home: shown, name: home.name))
            }
        }
        safeHomes.insert(home.path)
    }

    /// `path` with every symlink resolved: realpath(3) of its nearest existing ancestor,
    /// and the rest of the path appended as written.
    static func realLocation(_ path: String) -> String {
        var existing = path
        var rest: [String] = []
        while existing != "/" {
            if let resolved = realpath(existing, nil) {
                defer { free(resolved) }
                let base = String(decoding: UnsafeRawBufferPointer(start: resolved, count: strlen(resolved)), as: UTF8.self)
                return rest.isEmpty ? base : (base == "/" ? "" : base) + "/" + rest.reversed().joined(separator: "/")
            }
            rest.append((existing as NSString).lastPathComponent)
            existing = (existing as NSString).deletingLastPathComponent
        }
        return path
    }
}

import Foundation

/// Re-checks, at execution time, that every write stays inside a home and out of protected paths.
///
/// The renderer checks the same rules on the declared paths; this guard also sees the
/// disk as it is now, so a symlink planted in a home after rendering is refused too.
struct PathGuard {
    /// Home name → absolute path, with a final symlink of the home itself resolved.
    let homes: [(name: String, path: String)]
    let protected: [String]
    /// Folders already seen to be real folders in this run (each is lstat'ed once).
    private var verified: Set<String> = []

    init(homes: [String: String], protected: [String]) {
        self.homes = homes.map { (name: $0.key, path: Self.trimmed($0.value)) }
            .sorted { $0.path.count > $1.path.count }
        self.protected = protected.map(Self.trimmed)
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
}

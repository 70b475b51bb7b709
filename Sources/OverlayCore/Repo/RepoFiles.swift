import Foundation

/// The files of an overlay repo that overlay may read, found by one walk of the tree.
///
/// `Tests/`, `.build*` folders and hidden folders are never entered. A symlink whose
/// target leaves the repo is reported and never read.
public struct RepoFiles: Sendable {
    /// The repo root.
    public let root: URL
    /// Regular files (or symlinks to files inside the repo), relative paths, sorted.
    public private(set) var paths: [String] = []
    /// Symlinks that point outside the repo, with where they point.
    public private(set) var escapingLinks: [(path: String, target: String)] = []

    /// Walks `root`.
    public init(root: URL) {
        self.root = root.standardizedFileURL
        let rootPath = self.root.resolvingSymlinksInPath().path
        var found: [String] = []
        var escaping: [(String, String)] = []
        var stack: [String] = [""]
        let fm = FileManager.default
        while let rel = stack.popLast() {
            let dir = rel.isEmpty ? self.root.path : self.root.path + "/" + rel
            guard let names = try? fm.contentsOfDirectory(atPath: dir) else { continue }
            for name in names {
                if name.hasPrefix(".") { continue }
                let childRel = rel.isEmpty ? name : rel + "/" + name
                if rel.isEmpty && (name == "Tests" || name.hasPrefix(".build")) { continue }
                let full = dir + "/" + name
                var st = stat()
                guard lstat(full, &st) == 0 else { continue }
                let type = st.st_mode & S_IFMT
                if type == S_IFLNK {
                    let resolved = URL(fileURLWithPath: full).resolvingSymlinksInPath().path
                    if resolved != rootPath && !resolved.hasPrefix(rootPath + "/") {
                        escaping.append((childRel, resolved))
                        continue
                    }
                    var target = stat()
                    guard stat(full, &target) == 0 else { continue }
                    if target.st_mode & S_IFMT == S_IFREG { found.append(childRel) }
                } else if type == S_IFDIR {
                    stack.append(childRel)
                } else if type == S_IFREG {
                    found.append(childRel)
                }
            }
        }
        paths = found.sorted()
        escapingLinks = escaping.sorted { $0.0 < $1.0 }
    }

    /// The absolute URL of a relative path.
    public func url(_ path: String) -> URL { root.appendingPathComponent(path) }
}

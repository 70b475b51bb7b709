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
    /// YAML/JSON entries that are not regular files (FIFOs, sockets, broken or looping
    /// links), with why: they are never opened, so a FIFO cannot hang validation.
    public private(set) var unreadable: [(path: String, reason: String)] = []

    /// Walks `root`.
    public init(root: URL) {
        self.root = root.standardizedFileURL
        let rootPath = self.root.resolvingSymlinksInPath().path
        var found: [String] = []
        var escaping: [(String, String)] = []
        var unreadable: [(String, String)] = []
        let wanted = { (name: String) in Document.format(of: name) != .text || name == "SOUL.md" }
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
                    guard stat(full, &target) == 0 else {
                        if wanted(name) { unreadable.append((childRel, "a broken or looping symlink")) }
                        continue
                    }
                    if target.st_mode & S_IFMT == S_IFREG {
                        found.append(childRel)
                    } else if target.st_mode & S_IFMT != S_IFDIR, wanted(name) {
                        unreadable.append((childRel, "a link to something that is not a regular file"))
                    }
                } else if type == S_IFDIR {
                    stack.append(childRel)
                } else if type == S_IFREG {
                    found.append(childRel)
                } else if wanted(name) {
                    unreadable.append((childRel, "not a regular file (a FIFO, socket or device)"))
                }
            }
        }
        paths = found.sorted()
        escapingLinks = escaping.sorted { $0.0 < $1.0 }
        self.unreadable = unreadable.sorted { $0.0 < $1.0 }
    }

    /// True when nothing at all is at `path`: no file, and no escaping link or unreadable
    /// entry (those are reported as such, not as missing).
    public func isMissing(_ path: String) -> Bool {
        !paths.contains(path) && !escapingLinks.contains { $0.path == path } && !unreadable.contains { $0.path == path }
    }

    /// The absolute URL of a relative path.
    public func url(_ path: String) -> URL { root.appendingPathComponent(path) }
}

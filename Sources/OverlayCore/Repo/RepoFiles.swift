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
    /// YAML/JSON entries that are not regular files (FIFOs, sockets, devices, broken or looping
    /// links), and folders where a file overlay expects should be (`config.yaml/`), with what
    /// they are: they are never opened, so a FIFO cannot hang validation.
    public private(set) var unreadable: [(path: String, reason: String)] = []
    /// Every entry of any name that is neither a regular file nor a folder (nor a link to
    /// one), with what it is: a `src:` or `template:` naming one is told so, not "missing".
    public private(set) var special: [(path: String, reason: String)] = []

    /// The files overlay looks for by name: a folder there is reported, not walked into.
    public static let expectedFiles: Set<String> = [
        "config.yaml", "SOUL.md", "policy/providers.yaml", "policy/config.schema.json", "playbooks/site.yaml",
        "inventory/hosts.yml", "inventory/hosts.yaml",
    ]

    /// Walks `root`.
    public init(root: URL) {
        self.root = root.standardizedFileURL
        let rootPath = self.root.resolvingSymlinksInPath().path
        var found: [String] = []
        var escaping: [(String, String)] = []
        var unreadable: [(String, String)] = []
        var special: [(String, String)] = []
        func odd(_ path: String, _ reason: String, wanted: Bool) {
            special.append((path, reason))
            if wanted { unreadable.append((path, reason)) }
        }
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
                        odd(childRel, "a broken or looping symlink", wanted: wanted(name))
                        continue
                    }
                    let targetType = target.st_mode & S_IFMT
                    if targetType == S_IFREG {
                        found.append(childRel)
                    } else if targetType == S_IFDIR {
                        if Self.expectedFiles.contains(childRel) { odd(childRel, "a symlink to a folder", wanted: true) }
                    } else {
                        odd(childRel, "a symlink to " + Self.kind(targetType), wanted: wanted(name))
                    }
                } else if type == S_IFDIR {
                    if Self.expectedFiles.contains(childRel) {
                        odd(childRel, "a folder", wanted: true)
                    } else {
                        stack.append(childRel)
                    }
                } else if type == S_IFREG {
                    found.append(childRel)
                } else {
                    odd(childRel, Self.kind(type), wanted: wanted(name))
                }
            }
        }
        paths = found.sorted()
        escapingLinks = escaping.sorted { $0.0 < $1.0 }
        self.unreadable = unreadable.sorted { $0.0 < $1.0 }
        self.special = special.sorted { $0.0 < $1.0 }
    }

    /// What a file type that is not a regular file or a folder is, in words.
    static func kind(_ type: mode_t) -> String {
        switch type {
        case S_IFIFO: return "a FIFO (named pipe)"
        case S_IFSOCK: return "a socket"
        case S_IFCHR, S_IFBLK: return "a device"
        default: return "not a regular file"
        }
    }

    /// What is at `path` when it is not a readable file overlay can use (nil otherwise).
    public func oddEntry(_ path: String) -> String? {
        special.first { $0.path == path }?.reason ?? unreadable.first { $0.path == path }?.reason
    }

    /// True when nothing at all is at `path`: no file, and no escaping link or unreadable
    /// entry (those are reported as such, not as missing).
    public func isMissing(_ path: String) -> Bool {
        !paths.contains(path) && !escapingLinks.contains { $0.path == path } && !unreadable.contains { $0.path == path }
    }

    /// The absolute URL of a relative path.
    public func url(_ path: String) -> URL { root.appendingPathComponent(path) }
}

/// Whether any symlink of a tree resolves to somewhere outside it, worked out on the tree
/// itself (no file system): each link is followed component by component the way the
/// kernel would, links inside links included, so `a -> .` plus `b -> a/..` is caught
/// although each target alone looks harmless.
struct SymlinkContainment {
    private enum Node {
        case directory, file
        case symlink(String)
    }

    private let nodes: [String: Node]
    private let links: [(components: [String], target: String)]

    init(entries: [TreeEntry]) {
        var nodes: [String: Node] = [:]
        var links: [([String], String)] = []
        for entry in entries {
            switch entry.kind {
            case .directory: nodes[entry.path] = .directory
            case .file: nodes[entry.path] = .file
            case .symlink(let target):
                nodes[entry.path] = .symlink(target)
                links.append((entry.components, target))
            }
        }
        self.nodes = nodes
        self.links = links
    }

    /// Path components followed for all links together before the tree is refused: enough
    /// for any real tree, and a bound on the work a crafted web of long links can cause.
    static let stepBudget = 2_000_000

    /// Throws for the first link that leaves the tree.
    func check(commit: String) throws(GitError) {
        var steps = 0
        for link in links {
            let path = link.components.joined(separator: "/")
            guard let escaping = escapes(from: Array(link.components.dropLast()), target: link.target, steps: &steps) else {
                throw .unsafeEntry(commit: commit, path: path, reason: "the symlinks are too tangled to check")
            }
            if escaping {
                throw .unsafeEntry(commit: commit, path: path, reason: "the symlink points outside the tree (to \(link.target))")
            }
        }
    }

    /// Follows `target` from the folder `base`; true as soon as the walk goes above the root.
    /// A walk that reaches a missing entry stops there (the kernel would too: ENOENT).
    /// Nil when the step budget runs out.
    private func escapes(from base: [String], target: String, steps: inout Int) -> Bool? {
        var current = base
        var pending = Array(target.split(separator: "/", omittingEmptySubsequences: true).map(String.init).reversed())
        var hops = 1
        while let part = pending.popLast() {
            steps += 1
            if steps > Self.stepBudget { return nil }
            if part == "." { continue }
            if part == ".." {
                if current.isEmpty { return true }
                current.removeLast()
                continue
            }
            let next = current + [part]
            switch nodes[next.joined(separator: "/")] {
            case nil, .file: return false
            case .directory: current = next
            case .symlink(let inner):
                hops += 1
                if hops > 40 { return false }  // ELOOP: never resolves
                if inner.hasPrefix("/") { return true }
                pending.append(contentsOf: inner.split(separator: "/", omittingEmptySubsequences: true).map(String.init).reversed())
            }
        }
        return false
    }
}

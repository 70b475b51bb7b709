import Foundation

/// Path handling for destinations: `~` expansion, normalisation, containment.
public enum HomePath {
    /// Expands a leading `~` to `home` and normalises `.`/`..`/`//` lexically.
    /// Returns nil when `..` would climb above the root.
    public static func resolve(_ path: String, home: String) -> String? {
        normalize(expandTilde(path, home: home))
    }

    /// `~` and `~/…` expanded to `home`, without normalising. An absolute path stays as it is;
    /// a relative one is put under `base` when one is given (else left relative). The one `~`
    /// rule of overlay: state dirs, homes, SSH paths and destinations all expand through here.
    public static func expandTilde(_ path: String, home: String, relativeTo base: String? = nil) -> String {
        if path == "~" { return home }
        if path.hasPrefix("~/") { return home + path.dropFirst(1) }
        guard let base, !path.hasPrefix("/") else { return path }
        return (base.hasSuffix("/") ? base : base + "/") + path
    }

    /// Lexical normalisation of an absolute path; nil for relative paths or `..` above `/`.
    public static func normalize(_ path: String) -> String? {
        guard path.hasPrefix("/") else { return nil }
        var parts: [Substring] = []
        for part in path.split(separator: "/", omittingEmptySubsequences: true) {
            if part == "." { continue }
            if part == ".." {
                guard !parts.isEmpty else { return nil }
                parts.removeLast()
                continue
            }
            parts.append(part)
        }
        return "/" + parts.joined(separator: "/")
    }

    /// True when `path` is `dir` or inside it (both normalised).
    public static func isInside(_ path: String, _ dir: String) -> Bool {
        path == dir || path.hasPrefix(dir.hasSuffix("/") ? dir : dir + "/")
    }

    /// True when the path as written contains a `..` component.
    public static func hasParentComponent(_ path: String) -> Bool {
        path.split(separator: "/").contains("..")
    }
}

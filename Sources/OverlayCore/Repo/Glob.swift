/// A shell-style path pattern: `*`, `?`, `[abc]`, and `**` for any number of folders.
public struct Glob: Sendable, Hashable {
    /// The pattern as written.
    public let pattern: String
    private let segments: [[Unicode.Scalar]]

    /// Compiles `pattern` (paths use `/`).
    public init(_ pattern: String) {
        self.pattern = pattern
        self.segments = pattern.split(separator: "/", omittingEmptySubsequences: true).map { Array($0.unicodeScalars) }
    }

    /// A path split once into segments, to test it against many globs.
    public static func segments(of path: String) -> [[Unicode.Scalar]] {
        path.split(separator: "/", omittingEmptySubsequences: true).map { Array($0.unicodeScalars) }
    }

    /// True when `path` (relative, `/`-separated) matches.
    public func matches(_ path: String) -> Bool {
        matches(segments: Glob.segments(of: path))
    }

    /// True when a path already split with `segments(of:)` matches.
    public func matches(segments parts: [[Unicode.Scalar]]) -> Bool {
        Glob.match(segments[...], parts[...])
    }

    private static let doubleStar: [Unicode.Scalar] = ["*", "*"]

    private static func match(_ pat: ArraySlice<[Unicode.Scalar]>, _ path: ArraySlice<[Unicode.Scalar]>) -> Bool {
        guard let head = pat.first else { return path.isEmpty }
        if head == doubleStar {
            let rest = pat.dropFirst()
            var p = path
            while true {
                if match(rest, p) { return true }
                guard !p.isEmpty else { return false }
                p = p.dropFirst()
            }
        }
        guard let seg = path.first, fnmatch(head[...], seg[...]) else {
            return false
        }
        return match(pat.dropFirst(), path.dropFirst())
    }

    /// Matches one path segment against one pattern segment.
    public static func fnmatch(_ p: ArraySlice<Unicode.Scalar>, _ s: ArraySlice<Unicode.Scalar>) -> Bool {
        var p = p
        var s = s
        var starP: ArraySlice<Unicode.Scalar>?
        var starS: ArraySlice<Unicode.Scalar> = []
        while !s.isEmpty {
            if let c = p.first {
                if c == "*" {
                    starP = p.dropFirst()
                    starS = s
                    p = p.dropFirst()
                    continue
                }
                if c == "[", let (ok, rest) = matchClass(p, s.first ?? " ") {
                    if ok {
                        p = rest
                        s = s.dropFirst()
                        continue
                    }
                } else if c == "?" || c == s.first {
                    p = p.dropFirst()
                    s = s.dropFirst()
                    continue
                }
            }
            guard let sp = starP else { return false }
            starS = starS.dropFirst()
            s = starS
            p = sp
        }
        return p.allSatisfy { $0 == "*" }
    }

    private static func matchClass(_ p: ArraySlice<Unicode.Scalar>, _ c: Unicode.Scalar) -> (Bool, ArraySlice<Unicode.Scalar>)? {
        var i = p.index(after: p.startIndex)
        var negate = false
        if i < p.endIndex, p[i] == "!" || p[i] == "^" {
            negate = true
            i += 1
        }
        var matched = false
        var first = true
        while i < p.endIndex {
            if p[i] == "]" && !first { return (matched != negate, p[(i + 1)...]) }
            first = false
            if i + 2 < p.endIndex, p[i + 1] == "-", p[i + 2] != "]" {
                if p[i] <= c && c <= p[i + 2] { matched = true }
                i += 3
            } else {
                if p[i] == c { matched = true }
                i += 1
            }
        }
        return nil
    }
}

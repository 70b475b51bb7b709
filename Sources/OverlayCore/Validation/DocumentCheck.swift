import Foundation

/// Reports what the document layer found: syntax, encoding, limits, escaping symlinks.
public struct DocumentCheck: RepoCheck {
    public init() {}
    public func check(_ context: ValidationContext) -> [Diagnostic] {
        var out: [Diagnostic] = []
        for doc in context.repo.documents.values where doc.path != SoulCheck.path { out += doc.diagnostics }
        for link in context.repo.files.escapingLinks {
            let family = Document.format(of: link.path) == .json ? "json" : "yaml"
            out.append(
                Diagnostic(
                    file: link.path, at: .start, rule: "\(family).symlink-escape",
                    "symlink points outside the repo (to \(link.target)); overlay does not follow it — copy the file into the repo or remove the link"
                ))
        }
        // An expected file (config.yaml, SOUL.md, …) has a placeholder document carrying this.
        for entry in context.repo.files.unreadable where context.repo[entry.path] == nil {
            out.append(Self.unreadable(entry.path, entry.reason))
        }
        return out
    }

    /// The diagnostic for an entry that is not a readable file: it says what the entry is.
    static func unreadable(_ path: String, _ reason: String) -> Diagnostic {
        let family = Document.format(of: path) == .json ? "json" : "yaml"
        return Diagnostic(
            file: path, at: .start, rule: "\(family).unreadable",
            "\(path) is \(reason), not a regular file; overlay does not open it — replace it with a regular file or remove it")
    }
}

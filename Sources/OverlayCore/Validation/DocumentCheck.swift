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
        for entry in context.repo.files.unreadable {
            let family = Document.format(of: entry.path) == .json ? "json" : "yaml"
            out.append(
                Diagnostic(
                    file: entry.path, at: .start, rule: "\(family).unreadable",
                    "\(entry.path) is \(entry.reason); overlay does not open it — replace it with a regular file or remove it"))
        }
        return out
    }
}

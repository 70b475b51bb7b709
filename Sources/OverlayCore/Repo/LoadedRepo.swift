import Foundation

/// The overlay repo read once: every file validation needs, parsed in parallel.
public final class LoadedRepo: Sendable {
    /// The walked file list.
    public let files: RepoFiles
    /// Parsed documents by relative path (structured files and text-scanned files).
    public let documents: [String: Document]
    /// Files used as `template:` sources: read as text, parsed only after rendering.
    public let templateSources: Set<String>
    /// YAML/JSON files parsed only because `src:` copies them (none overlay itself reads):
    /// their parse problems are warnings, and `scan.exclude` exempts them from the secret scan.
    public let copiedSources: Set<String>

    /// Folders whose YAML/JSON files are always parsed.
    public static let structuredFolders = ["policy/", "cron/", "inventory/", "playbooks/"]

    /// Reads the repo at `root`. `scanGlobs` adds text files for the policy scan.
    public init(root: URL, loader: DocumentLoader = DocumentLoader()) {
        let files = RepoFiles(root: root)
        self.files = files
        var docs: [String: Document] = [:]
        // The policy and the golden state decide what else is read, so they go first.
        for first in [ProviderPolicy.path, GoldenStateFile.path] where files.paths.contains(first) {
            docs[first] = loader.load(url: files.url(first), path: first)
        }
        let policy = docs[ProviderPolicy.path].flatMap { ProviderPolicy(document: $0).policy } ?? ProviderPolicy.defaultPolicy
        let templates = docs[GoldenStateFile.path].map(GoldenStateFile.templateSources) ?? []
        self.templateSources = templates
        // A YAML/JSON file copied as-is lands in a home unchanged: parse it like the others.
        let copied = (docs[GoldenStateFile.path].map(GoldenStateFile.plainSources) ?? []).filter { path in
            path != "config.yaml" && !LoadedRepo.structuredFolders.contains(where: path.hasPrefix)
        }
        self.copiedSources = copied

        var wanted: [(String, Document.Format)] = []
        for path in files.paths where docs[path] == nil {
            let format = Document.format(of: path)
            let structured =
                path == "config.yaml" || path == "SOUL.md"
                || (format != .text && (LoadedRepo.structuredFolders.contains(where: path.hasPrefix) || copied.contains(path)))
            if templates.contains(path) {
                wanted.append((path, .text))
            } else if structured {
                wanted.append((path, format))
            } else if policy.scanIncludes(path) {
                wanted.append((path, .text))
            }
        }
        let toRead = wanted
        let parsed = Parallel.map(toRead) { item -> Document in
            let (path, format) = item
            return format == .text && Document.format(of: path) != .text
                ? loader.loadText(url: files.url(path), path: path)
                : loader.load(url: files.url(path), path: path)
        }
        for doc in parsed { docs[doc.path] = copied.contains(doc.path) ? LoadedRepo.copiedAsIs(doc) : doc }
        // A FIFO or a folder where config.yaml (or another file overlay looks for) should be is
        // reported as what it is; a document without a tree stands for it, so no check calls it missing.
        for entry in files.unreadable where RepoFiles.expectedFiles.contains(entry.path) {
            docs[entry.path] = Document(
                path: entry.path, format: Document.format(of: entry.path), text: "", root: nil,
                diagnostics: [DocumentCheck.unreadable(entry.path, entry.reason)])
        }
        self.documents = docs
    }

    /// A copied file may be JSON with comments or YAML some other program reads leniently
    /// (a `settings.json`): what stops a parse is a warning, since overlay copies the bytes.
    static func copiedAsIs(_ doc: Document) -> Document {
        var doc = doc
        doc.diagnostics = doc.diagnostics.map { d in
            guard d.severity == .error, !d.rule.hasSuffix(".unreadable") else { return d }
            var d = d
            d.severity = .warning
            d.message +=
                "; overlay copies \(doc.path) as-is (src:), so this is only a warning — ignore it if the program that reads the file accepts it"
            return d
        }
        return doc
    }

    /// The document at a relative path, if it was read.
    public subscript(path: String) -> Document? { documents[path] }

    /// Parsed YAML/JSON documents under a folder, sorted by path.
    public func structured(under folder: String) -> [Document] {
        documents.values.filter { $0.path.hasPrefix(folder) && $0.format != .text && !templateSources.contains($0.path) }
            .sorted { $0.path < $1.path }
    }
}

extension DocumentLoader {
    /// Reads a file as plain text (encoding and size checked, not parsed).
    public func loadText(url: URL, path: String) -> Document {
        let family = Document.format(of: path) == .json ? "json" : "yaml"
        switch readBytes(url: url, path: path, family: family) {
        case .success(let bytes): return parse(bytes: bytes, path: path, format: .text)
        case .failure(let problem): return Document(path: path, format: .text, text: "", root: nil, diagnostics: [problem.diagnostic])
        }
    }
}

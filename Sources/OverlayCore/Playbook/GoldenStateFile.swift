/// Facts about `playbooks/site.yaml` needed before the rest of the repo is read.
public enum GoldenStateFile {
    /// Where the golden state lives in the repo.
    public static let path = "playbooks/site.yaml"

    /// The `template:` sources the golden state names (read as text, rendered per host).
    public static func templateSources(_ doc: Document) -> Set<String> {
        var out: Set<String> = []
        for file in doc.root?["files"]?.items ?? [] {
            if let t = file["template"]?.string { out.insert(t) }
        }
        return out
    }

    /// The YAML/JSON format each `template:` source is rendered into (from its `dest`
    /// extension); templates with text destinations are left out.
    public static func structuredTemplateOutputs(_ doc: Document) -> [String: Document.Format] {
        var out: [String: Document.Format] = [:]
        for file in doc.root?["files"]?.items ?? [] {
            guard let t = file["template"]?.string, let dest = file["dest"]?.string else { continue }
            let format = Document.format(of: dest)
            if format != .text { out[t] = format }
        }
        return out
    }

    /// The `src:` paths the golden state names (copied as-is), written as repo paths:
    /// without a leading `./` or a trailing `/`.
    public static func plainSources(_ doc: Document) -> Set<String> {
        var out: Set<String> = []
        for file in doc.root?["files"]?.items ?? [] {
            guard var s = file["src"]?.string else { continue }
            if s.hasPrefix("./") { s.removeFirst(2) }
            if s.hasSuffix("/") { s.removeLast() }
            out.insert(s)
        }
        return out
    }
}

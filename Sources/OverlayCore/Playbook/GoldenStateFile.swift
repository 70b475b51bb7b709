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
}

import Foundation

/// What one host's render knows that a declared agent job is checked against: the harness's
/// home, the files the repo installs there (its `config.yaml`, channel directory and scripts).
struct AgentJobHost {
    /// The golden state's home the harness lives in (`HERMES_HOME`).
    static let homeName = "hermes"

    let home: String
    let files: [RenderedFile]
    let repo: LoadedRepo
    /// The zone of the host's `config.yaml` `timezone:` (nil: the machine's local zone).
    private(set) var zoneName: String?
    /// Why the configured zone is not used, when it is not (the file and a sentence).
    private(set) var timezoneProblem: (file: String, message: String)?
    private var directory: ChannelDirectory?

    init(home: String, files: [RenderedFile], repo: LoadedRepo) {
        self.home = home
        self.files = files
        self.repo = repo
        if let (config, source) = value(ofDest: home + "/config.yaml"), case .string(let name)? = config["timezone"] {
            let trimmed = HarnessText.strip(name)
            if trimmed.isEmpty {
                zoneName = nil
            } else if TimeZone(identifier: trimmed) != nil, trimmed == "UTC" || Self.zoneNames.contains(trimmed) {
                zoneName = trimmed
            } else {
                timezoneProblem = (
                    source,
                    "timezone '\(trimmed)' in config.yaml is not an IANA zone name; the harness ignores it and schedules agent jobs in the machine's local time — write e.g. Europe/Berlin or UTC"
                )
            }
        }
    }

    /// The IANA zone names this system knows, read once per process.
    static let zoneNames = Set(TimeZone.knownTimeZoneIdentifiers)

    /// The timezone problem, if any, as (file, message).
    mutating func timezone() -> (String, String?)? {
        timezoneProblem.map { ($0.file, $0.message) }
    }

    /// `platform:label` parts of `deliver` that the host's channel directory does not resolve.
    mutating func unresolvedLabels(_ deliver: AgentDeliver) -> [String] {
        guard !deliver.labels.isEmpty else { return [] }
        if directory == nil {
            directory = ChannelDirectory(
                directory: value(ofDest: home + "/channel_directory.json")?.0, aliases: value(ofDest: home + "/channel_aliases.json")?.0)
        }
        guard let directory else { return [] }
        return deliver.labels.compactMap { part in
            if directory.resolve(platform: part.platform, label: part.label) != nil { return nil }
            let known = directory.names(platform: part.platform)
            let list =
                known.isEmpty ? "the host's channel directory lists no \(part.platform) chats" : "it lists \(known.joined(separator: ", "))"
            return
                "'\(part.platform):\(part.label)' is neither a \(part.platform) chat id nor a label the host's channel_directory.json or channel_aliases.json resolves (\(list)); write the chat id, or name it in channel_aliases.json"
        }
    }

    /// Why the harness would not run `script` on this host, nil when it would.
    func scriptProblem(_ script: String, userHome: String) -> String? {
        let scripts = home + "/scripts"
        guard !script.isEmpty else { return "the script is empty; name a file under \(scripts)/" }
        let expanded = HomePath.expandTilde(script, home: userHome)
        guard let path = HomePath.normalize(expanded.hasPrefix("/") ? expanded : scripts + "/" + expanded) else {
            return "script '\(script)' climbs above /"
        }
        guard path.hasPrefix(scripts + "/") else {
            return
                "the harness runs only scripts inside \(scripts)/ and refuses '\(script)' (it resolves to \(path)); install the script there and name it relative to that folder"
        }
        guard let file = files.first(where: { $0.dest == path }) else {
            return
                "no file entry of the golden state installs \(path); add one, e.g. {src: scripts/\(path.dropFirst(scripts.count + 1)), dest: \"{{ hermes_home }}/scripts/\(path.dropFirst(scripts.count + 1))\", link: false}"
        }
        if file.link {
            return
                "\(path) is installed as a link into overlay's state dir, and the harness resolves links and refuses a script whose real path leaves \(scripts)/; add link: false to its file entry"
        }
        return nil
    }

    /// The parsed content of the file the render installs at `dest` (nil when none does or it
    /// does not parse), and its repo source.
    func value(ofDest dest: String) -> (Value, String)? {
        guard let file = files.first(where: { $0.dest == dest }) else { return nil }
        let format = Document.format(of: dest)
        let data: Data?
        if !file.content.isEmpty {
            // A file copied from the repo as it is: its document is already parsed (a converge
            // would otherwise parse the same config.yaml again for every host).
            if let doc = repo[file.source], let root = doc.root, Document.format(of: file.source) == format,
                file.content.elementsEqual(doc.text.utf8)
            {
                return (root.value, file.source)
            }
            data = file.content
        } else if let doc = repo[file.source], let root = doc.root {
            return (root.value, file.source)
        } else {
            data = FileManager.default.contents(atPath: repo.files.url(file.source).path)
        }
        guard let data, let root = DocumentLoader().parse(data: data, path: file.source, format: format).root else { return nil }
        return (root.value, file.source)
    }
}

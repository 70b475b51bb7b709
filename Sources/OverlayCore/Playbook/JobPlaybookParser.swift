import Foundation

/// A job playbook read from its document: the model (built even when parts are wrong, so
/// that every problem is reported) and the problems, located at their nodes.
public struct JobPlaybookParse: Sendable {
    /// The playbook as far as it could be read.
    public var playbook: JobPlaybook
    /// Every problem in the file itself (no inventory or policy needed).
    public var diagnostics: [Diagnostic]
    /// Each step's `run:` node, to locate template problems.
    let runNodes: [String: Node]
    /// Each step's `env:` value nodes by variable name.
    let envNodes: [String: [String: Node]]
    /// Steps' `provenance:` nodes, to locate a missing consent policy.
    let provenanceNodes: [Node]
    /// The `hosts:` node.
    let hostsNode: Node?
    /// The `name:` node (nil: the name is the file's).
    var nameNode: Node? = nil

    /// True when the playbook can run: no error in it.
    public var isRunnable: Bool { diagnostics.errorCount == 0 }
}

extension JobPlaybook {
    /// True when a document is a job playbook (a mapping with `jobs:`), not the golden state.
    public static func isJobPlaybook(_ document: Document) -> Bool {
        document.path != GoldenStateFile.path && document.root?["jobs"] != nil
    }

    /// Reads a job playbook document. `name:` defaults to the file's base name.
    public static func parse(_ document: Document) -> JobPlaybookParse {
        var parser = JobPlaybookParser(file: document.path)
        guard let root = document.root else {
            let fallback = JobPlaybook(name: parser.defaultName, file: document.path, steps: [])
            return JobPlaybookParse(
                playbook: fallback, diagnostics: document.diagnostics, runNodes: [:], envNodes: [:], provenanceNodes: [],
                hostsNode: nil)
        }
        return parser.parse(root, documentDiagnostics: document.diagnostics)
    }

    /// Loads and reads the job playbook at `url`, reported as `path`.
    public static func load(url: URL, path: String, loader: DocumentLoader = DocumentLoader()) -> JobPlaybookParse {
        parse(loader.load(url: url, path: path))
    }
}

/// Builds a `JobPlaybook` from its node tree, collecting diagnostics.
struct JobPlaybookParser {
    static let topKeys = ["name", "schedule", "hosts", "jobs", "description"]
    static let jobKeys = [
        "run", "needs", "outputs", "timeout", "retries", "backoff", "resource", "when", "gate", "promote", "provenance",
        "metrics", "description", "env",
    ]
    static let gateKeys = ["policy", "threshold", "candidate", "baseline", "metric", "lower_is_better"]
    static let promoteKeys = ["from", "to"]
    static let whenKeys = ["min_examples", "dataset", "exists", "changed"]
    /// The most jobs a playbook may have: a pipeline is a handful of steps, and a generated
    /// file of 50,000 must cost a validation no more than its YAML does.
    static let maxJobs = 1000

    let file: String
    var out: [Diagnostic] = []
    var runNodes: [String: Node] = [:]
    var envNodes: [String: [String: Node]] = [:]
    var provenanceNodes: [Node] = []

    init(file: String) { self.file = file }

    /// The file's base name without its extension.
    var defaultName: String {
        let base = (file as NSString).lastPathComponent
        return (base as NSString).deletingPathExtension
    }

    mutating func parse(_ root: Node, documentDiagnostics: [Diagnostic]) -> JobPlaybookParse {
        out = documentDiagnostics
        guard root["jobs"] != nil else {
            error(root, "playbook.syntax", "not a job playbook: it has no 'jobs:' mapping of steps")
            return JobPlaybookParse(
                playbook: JobPlaybook(name: defaultName, file: file, steps: []), diagnostics: out, runNodes: [:], envNodes: [:],
                provenanceNodes: [], hostsNode: nil)
        }
        unknownKeys(root, Self.topKeys, "a job playbook")
        var name = defaultName
        if let n = root["name"] {
            if let s = n.string, Self.isSafeName(s) {
                name = s
            } else {
                error(
                    n, "playbook.syntax", "the playbook's name must be letters, digits, '.', '_' or '-' (it names its lock and workspace)")
            }
        }
        let schedule = root["schedule"].flatMap { scheduleText($0) }
        let hosts = root["hosts"].flatMap { stringOrError($0, "hosts") }
        var steps: [JobStep] = []
        if let jobs = root["jobs"]?.pairs, jobs.count > Self.maxJobs, let key = root.keyNode("jobs") {
            error(
                key, "playbook.too-many-jobs",
                "a job playbook has at most \(Self.maxJobs) jobs and this one has \(jobs.count); split the pipeline into several playbooks")
        } else if let jobs = root["jobs"]?.pairs {
            steps = readSteps(jobs)
        } else if let j = root["jobs"] {
            error(j, "playbook.syntax", "'jobs' must map a job name to its step")
        }
        let playbook = JobPlaybook(name: name, file: file, schedule: schedule, hosts: hosts, steps: steps)
        return JobPlaybookParse(
            playbook: playbook, diagnostics: out, runNodes: runNodes, envNodes: envNodes, provenanceNodes: provenanceNodes,
            hostsNode: root["hosts"], nameNode: root["name"])
    }

    mutating func readSteps(_ jobs: [Node.Pair]) -> [JobStep] {
        let names = jobs.map { $0.key.value.keyString }
        let known = Set(names)
        var steps: [JobStep] = []
        for pair in jobs {
            if let step = readStep(pair, names: names, known: known) { steps.append(step) }
        }
        let needs = Dictionary(steps.map { ($0.name, $0.needs) }, uniquingKeysWith: { a, _ in a })
        if let cycle = JobGraph.firstCycle(needs: needs, order: names), let first = cycle.first,
            let node = jobs.first(where: { $0.key.value.keyString == first })?.key
        {
            error(
                node, "playbook.job-cycle",
                "jobs depend on each other in a cycle: \((cycle + [first]).joined(separator: " → ")); break one 'needs'")
        }
        return steps
    }

    /// The schedule text, or nil (and an error) when cron would not accept it.
    mutating func scheduleText(_ node: Node) -> String? {
        guard let text = node.scalarText, !text.isEmpty else {
            error(node, "playbook.syntax", "'schedule' must be a cron expression such as \"0 */4 * * *\"")
            return nil
        }
        do { _ = try CronSchedule.parse(text) } catch {
            var quoted = 0
            if case .scalar(_, let style) = node.kind, style == .singleQuoted || style == .doubleQuoted { quoted = 1 }
            self.error(
                at: Mark(line: node.mark.line, column: node.mark.column + quoted + error.offset), error.rule,
                "schedule: \(error.message)")
            return nil
        }
        return text
    }

    /// Names that become file names: letters, digits, `.`, `_`, `-`, not starting with `.` or `-`.
    static func isSafeName(_ s: String) -> Bool {
        guard let first = s.unicodeScalars.first, s.count <= 100 else { return false }
        let ok = { (c: Unicode.Scalar) in
            c.isASCII && (c.properties.isAlphabetic || ("0"..."9").contains(c) || "._-".unicodeScalars.contains(c))
        }
        return s.unicodeScalars.allSatisfy(ok) && first != "." && first != "-"
    }

    mutating func stringOrError(_ node: Node, _ what: String) -> String? {
        if let s = node.scalarText, !node.isNull { return s }
        error(node, "playbook.syntax", "'\(what)' must be a string, found a \(node.typeName)")
        return nil
    }

    mutating func unknownKeys(_ node: Node, _ known: [String], _ what: String) {
        for pair in node.pairs ?? [] {
            let key = pair.key.value.keyString
            guard !known.contains(key) else { continue }
            let hint = Suggest.closest(key, in: known).map { " — did you mean '\($0)'?" } ?? ""
            error(pair.key, "playbook.unknown-key", "unknown key '\(key)' in \(what)\(hint)")
        }
    }

    mutating func error(_ node: Node, _ rule: String, _ message: String) {
        error(at: node.mark, rule, message)
    }

    mutating func error(at mark: Mark, _ rule: String, _ message: String) {
        out.append(Diagnostic(file: file, at: mark, rule: rule, message))
    }
}

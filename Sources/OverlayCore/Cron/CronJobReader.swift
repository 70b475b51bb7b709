/// Reads and checks one job mapping: keys, types, name, schedule and command text.
struct CronJobReader {
    let file: String
    let node: Node
    /// Schedules already parsed (thousands of jobs share a handful of schedules).
    let schedules: CronScheduleCache
    private(set) var diagnostics: [Diagnostic] = []

    init(file: String, node: Node, schedules: CronScheduleCache = .shared) {
        self.file = file
        self.node = node
        self.schedules = schedules
    }

    static let namePattern = "[a-z0-9][a-z0-9_-]*"

    mutating func read() -> CronJobDefinition? {
        guard let pairs = node.pairs else {
            report(node.mark, "cron.type", "each job is a mapping with name, schedule and command")
            return nil
        }
        var marks = CronJobMarks()
        // One pass over the entries finds each known key's first value (what `node[key]` gives).
        var fields = JobFields()
        for pair in pairs {
            let key = pair.key.scalarText ?? "?"
            if fields.take(key, pair.value) {
                marks[key] = pair.value.mark
            } else {
                let hint = Suggest.closest(key, in: CronDefinitionsFile.jobKeys).map { " — did you mean '\($0)'?" } ?? ""
                report(
                    pair.key.mark, "cron.unknown-key",
                    "unknown key '\(key)' in a cron job\(hint) (a job has \(CronDefinitionsFile.jobKeys.joined(separator: ", ")))")
            }
        }
        for (key, present) in [("name", fields.name != nil), ("schedule", fields.schedule != nil), ("command", fields.command != nil)]
        where !present {
            report(node.mark, "cron.required", "this job has no '\(key)'; every job needs name, schedule and command")
        }
        let name = fields.name.flatMap { string($0, "name") }
        let schedule = fields.schedule.flatMap { string($0, "schedule") }
        let command = fields.command.flatMap { string($0, "command") }
        if let name, let nameNode = fields.name { checkName(name, at: nameNode.mark) }
        let scheduleNode = fields.schedule ?? node
        var parsed: CronSchedule?
        if let schedule, !CronText.checkControl(schedule, node: scheduleNode, what: "schedule", file: file, into: &diagnostics) {
            parsed = checkSchedule(schedule, node: scheduleNode)
        }
        if let command, let commandNode = fields.command,
            !CronText.checkControl(command, node: commandNode, what: "command", file: file, into: &diagnostics)
        {
            CronText.checkPercent(command, node: commandNode, file: file, into: &diagnostics)
            if CronText.mayReferenceSecret(command),
                let d = SecretPlacement.diagnostic(
                    command, node: commandNode, what: "the command", rule: "cron.secret-reference", file: file)
            {
                diagnostics.append(d)
            }
            if command.allSatisfy(\.isWhitespace) {
                report(commandNode.mark, "cron.required", "the command is empty; say what cron should run")
            }
        }
        guard let name, let schedule, let command else { return nil }
        var job = CronJobDefinition(
            name: name, schedule: schedule, parsedSchedule: parsed, command: command, user: nil, env: [:], hosts: nil,
            file: file, mark: node.mark, marks: marks, scheduleQuoteShift: CronJobReader.quoteShift(scheduleNode))
        if let userNode = fields.user, let user = string(userNode, "user") {
            if user.isEmpty || user.contains(where: { $0.isWhitespace || $0 == "\0" }) {
                report(userNode.mark, "cron.type", "'user' must be one user name without spaces")
            }
            job.user = user
        }
        if let envNode = fields.env { job.env = readEnv(envNode) }
        if let hostsNode = fields.hosts { job.hosts = readHosts(hostsNode) }
        // A command with `{{ }}` is measured per host, once rendered (RenderSession+Cron).
        if let commandNode = fields.command, !CronText.mayContainTemplate(command) || !command.contains("{{") {
            let bytes = CronCommandField.renderedByteCount(command: command, env: job.env)
            if let problem = CronCommandField.lengthProblem(bytes: bytes) {
                report(commandNode.mark, "cron.line-too-long", "job '\(name)': \(problem)")
            }
        }
        return job
    }

    /// The first value of each key a job may have (`CronDefinitionsFile.jobKeys`).
    struct JobFields {
        var name: Node?
        var schedule: Node?
        var command: Node?
        var user: Node?
        var env: Node?
        var hosts: Node?

        /// Keeps `value` when `key` is a job key not seen before; false when it is no job key.
        mutating func take(_ key: String, _ value: Node) -> Bool {
            switch key {
            case "name": if name == nil { name = value }
            case "schedule": if schedule == nil { schedule = value }
            case "command": if command == nil { command = value }
            case "user": if user == nil { user = value }
            case "env": if env == nil { env = value }
            case "hosts": if hosts == nil { hosts = value }
            default: return false
            }
            return true
        }
    }

    private mutating func checkName(_ name: String, at mark: Mark) {
        // Every allowed character is ASCII, so the UTF-8 bytes decide (a byte of a
        // multi-byte character is never one of them).
        let bytes = name.utf8
        let ok =
            bytes.first.map(CronJobReader.isNameStartByte) == true
            && bytes.dropFirst().allSatisfy { CronJobReader.isNameStartByte($0) || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "-") }
        if !ok {
            let suggestion = CronJobReader.suggestName(name)
            report(
                mark, "cron.name",
                "job name '\(name)' must match \(CronJobReader.namePattern) (lower-case letters, digits, '_' and '-', starting with a letter or digit)\(suggestion.map { "; e.g. '\($0)'" } ?? "")"
            )
        }
    }

    private mutating func checkSchedule(_ schedule: String, node: Node) -> CronSchedule? {
        let base = node.mark
        let shift = CronJobReader.quoteShift(node)
        func at(_ offset: Int) -> Mark { Mark(line: base.line, column: base.column + offset + shift) }
        switch schedules.parse(schedule) {
        case .success(let parsed):
            for w in parsed.warnings {
                diagnostics.append(Diagnostic(file: file, at: at(w.offset), .warning, rule: w.rule, w.message))
            }
            return parsed.schedule
        case .failure(let error):
            diagnostics.append(Diagnostic(file: file, at: at(error.offset), rule: error.rule, error.message))
            return nil
        }
    }

    private mutating func readEnv(_ envNode: Node) -> [String: String] {
        guard let pairs = envNode.pairs else {
            if !envNode.isNull { report(envNode.mark, "cron.type", "'env' must be a mapping of NAME: value") }
            return [:]
        }
        var env: [String: String] = [:]
        for pair in pairs {
            let key = pair.key.scalarText ?? ""
            // ASCII letters, digits and `_`: bytes decide, no Unicode property lookups.
            let keyOK =
                key.utf8.first.map { $0 == UInt8(ascii: "_") || CronJobReader.isASCIILetter($0) } == true
                && key.utf8.allSatisfy { $0 == UInt8(ascii: "_") || CronJobReader.isASCIILetter($0) || ($0 >= 48 && $0 <= 57) }
            if !keyOK {
                report(
                    pair.key.mark, "cron.env",
                    "'\(key)' is not a valid environment variable name; use letters, digits and '_', not starting with a digit")
            }
            switch pair.value.value {
            case .array, .object:
                report(pair.value.mark, "cron.type", "env value of '\(key)' must be a string")
            case let value:
                let text = value.renderedText
                _ = CronText.checkControl(text, node: pair.value, what: "env value of '\(key)'", file: file, into: &diagnostics)
                if CronText.mayReferenceSecret(text),
                    let d = SecretPlacement.diagnostic(
                        text, node: pair.value, what: "env value of '\(key)'", rule: "cron.secret-reference", file: file)
                {
                    diagnostics.append(d)
                }
                env[key] = text
            }
        }
        return env
    }

    private mutating func readHosts(_ hostsNode: Node) -> String? {
        if let s = hostsNode.string, !s.isEmpty { return s }
        if let items = hostsNode.items {
            let parts = items.compactMap(\.string)
            if parts.count == items.count && !parts.isEmpty { return parts.joined(separator: ":") }
        }
        if hostsNode.isNull { return nil }
        report(
            hostsNode.mark, "cron.type",
            "'hosts' must be an inventory pattern (a string such as 'wizards' or 'web:&prod') or a list of them")
        return nil
    }

    private mutating func string(_ node: Node, _ key: String) -> String? {
        if let s = node.string { return s }
        if case .scalar(let text, _) = node.kind, !node.isNull {
            // 30 or true written for a string: still a value cron can use, but say so.
            report(node.mark, "cron.type", "'\(key)' must be a string; quote it (\"\(text)\")")
            return nil
        }
        report(node.mark, "cron.type", "'\(key)' must be a string, not a \(node.typeName)")
        return nil
    }

    private mutating func report(_ mark: Mark, _ rule: String, _ message: String) {
        diagnostics.append(Diagnostic(file: file, at: mark, rule: rule, message))
    }

    static func isNameStart(_ c: Unicode.Scalar) -> Bool { ("a"..."z").contains(c) || ("0"..."9").contains(c) }

    /// `isNameStart` for one UTF-8 byte: `a`–`z` or `0`–`9`.
    @inline(__always) static func isNameStartByte(_ b: UInt8) -> Bool { (b >= 97 && b <= 122) || (b >= 48 && b <= 57) }

    /// `A`–`Z` or `a`–`z` (what `isASCII && properties.isAlphabetic` accepts).
    @inline(__always) static func isASCIILetter(_ b: UInt8) -> Bool { (b >= 65 && b <= 90) || (b >= 97 && b <= 122) }

    /// A valid name close to an invalid one ("Nightly Backup" → "nightly-backup").
    static func suggestName(_ name: String) -> String? {
        var out = ""
        for c in name.lowercased().unicodeScalars {
            if isNameStart(c) || c == "_" || c == "-" { out.unicodeScalars.append(c) } else if !out.hasSuffix("-") { out += "-" }
        }
        while let f = out.unicodeScalars.first, !isNameStart(f) { out.unicodeScalars.removeFirst() }
        while out.hasSuffix("-") { out.removeLast() }
        return out.isEmpty || out == name ? nil : out
    }

    /// 1 for quoted scalars, whose text starts one column after the node's mark.
    static func quoteShift(_ node: Node) -> Int {
        if case .scalar(_, let style) = node.kind, style == .singleQuoted || style == .doubleQuoted { return 1 }
        return 0
    }
}

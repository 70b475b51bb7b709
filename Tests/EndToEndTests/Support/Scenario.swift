import Foundation

/// A snapshot scenario: a repo's files, the commands to run, and the expected output of the
/// last one — one readable text file in `Tests/Snapshots/`, in the spirit of Go's txtar.
///
/// ```
/// # What the scenario shows (comment lines before the first section).
/// base: Tests/Fixtures/valid/minimal        optional: a fixture repo copied first
/// run: overlay apply --host timmy           setup commands, output not recorded
/// exec: overlay generations                 the command whose output is recorded
/// -- repo/cron/definitions.yaml --          files written into the repo (over the base)
/// jobs: []
/// -- stdout --                              expected output, normalised
/// -- stderr --
/// -- exit --
/// 0
/// ```
///
/// Arguments are split on spaces; a word in double quotes keeps its spaces. Output is
/// normalised before comparing: the sandbox path becomes `$SANDBOX`, ISO 8601 times `<TIME>`,
/// elapsed seconds `<SECONDS>`. `OVERLAY_UPDATE_SNAPSHOTS=1` rewrites the expected sections.
struct Scenario {
    var name: String
    var comment: [String] = []
    var base: String?
    var setup: [[String]] = []
    var command: [String] = []
    var files: [(path: String, text: String)] = []
    var expected: [String: String] = [:]

    static let sectionOrder = ["stdout", "stderr", "exit"]

    /// Parses a scenario file.
    init(name: String, text: String) throws {
        self.name = name
        var section: String?
        var body: [String] = []
        func flush() {
            guard let section else { return }
            let joined = body.joined(separator: "\n")
            if section.hasPrefix("repo/") {
                files.append((String(section.dropFirst(5)), joined.isEmpty ? "" : joined + "\n"))
            } else {
                expected[section] = joined.isEmpty ? "" : joined + "\n"
            }
        }
        for line in text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            if line.hasPrefix("-- ") && line.hasSuffix(" --") && line.count > 6 {
                flush()
                section = String(line.dropFirst(3).dropLast(3))
                body = []
            } else if section != nil {
                body.append(line)
            } else if line.hasPrefix("#") {
                comment.append(line)
            } else if line.hasPrefix("base: ") {
                base = String(line.dropFirst(6))
            } else if line.hasPrefix("run: ") {
                setup.append(Self.words(String(line.dropFirst(5))))
            } else if line.hasPrefix("exec: ") {
                command = Self.words(String(line.dropFirst(6)))
            } else if !line.trimmingCharacters(in: .whitespaces).isEmpty {
                throw ScenarioError("\(name): cannot read the line '\(line)'")
            }
        }
        // The last section's trailing empty line is the file's final newline.
        if body.last == "" { body.removeLast() }
        flush()
        guard command.first == "overlay" else { throw ScenarioError("\(name): needs an 'exec: overlay …' line") }
    }

    /// The file text with `actual` as the expected sections.
    func rewritten(with actual: [String: String]) -> String {
        var out = comment.map { $0 + "\n" }.joined()
        if let base { out += "base: \(base)\n" }
        for words in setup { out += "run: " + Self.joined(words) + "\n" }
        out += "exec: " + Self.joined(command) + "\n"
        for file in files { out += "-- repo/\(file.path) --\n" + file.text }
        for key in Self.sectionOrder { out += "-- \(key) --\n" + (actual[key] ?? "") }
        return out
    }

    static func words(_ text: String) -> [String] {
        var words: [String] = []
        var word = ""
        var quoted = false
        var inWord = false
        for c in text {
            if c == "\"" {
                quoted.toggle()
                inWord = true
            } else if c == " " && !quoted {
                if inWord { words.append(word) }
                word = ""
                inWord = false
            } else {
                word.append(c)
                inWord = true
            }
        }
        if inWord { words.append(word) }
        return words
    }

    static func joined(_ words: [String]) -> String {
        words.map { $0.contains(" ") || $0.isEmpty ? "\"\($0)\"" : $0 }.joined(separator: " ")
    }
}

struct ScenarioError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Output made comparable across machines and runs.
enum SnapshotNormalizer {
    static func normalize(_ text: String, sandbox: String) -> String {
        var out = text.replacingOccurrences(of: sandbox, with: "$SANDBOX")
        let patterns: [(String, String)] = [
            (#"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)"#, "<TIME>"),
            (#"\d+(\.\d+)? ?s(econds)?\b(?= elapsed)"#, "<SECONDS>"),
            (#"edited-gen-\d+-\d+"#, "edited-gen-N-<T>"),
            (#"rollback-from-\d+-\d+"#, "rollback-from-N-<T>"),
        ]
        for (pattern, replacement) in patterns {
            out = out.replacingOccurrences(of: pattern, with: replacement, options: .regularExpression)
        }
        return out
    }
}

import Foundation

/// One file of the overlay repo, read once, with its parsed tree and its problems.
public struct Document: Sendable {
    /// The syntax a file is read with, chosen by its extension.
    public enum Format: String, Sendable { case yaml, json, text }

    /// Path relative to the repo root (`cron/definitions.yaml`).
    public var path: String
    /// The syntax used.
    public var format: Format
    /// The file's text (empty when it could not be read safely).
    public var text: String
    /// The root node for YAML/JSON files that parsed; nil otherwise.
    public var root: Node?
    /// Syntax and encoding problems found while reading.
    public var diagnostics: [Diagnostic]

    /// The format for a file name.
    public static func format(of path: String) -> Format {
        if path.hasSuffix(".yaml") || path.hasSuffix(".yml") { return .yaml }
        if path.hasSuffix(".json") { return .json }
        return .text
    }
}

/// Reads files into `Document`s under fixed limits, never crashing on hostile input.
public struct DocumentLoader: Sendable {
    /// Files larger than this are refused without being read.
    public var maxFileSize: Int = 16 * 1024 * 1024
    /// Deepest nesting allowed.
    public var maxDepth: Int = 100
    /// Node budget for alias expansion.
    public var maxAliasExpansion: Int = 1_000_000

    /// A loader with default limits.
    public init() {}

    /// Problems with single values, not with the file's structure: the tree is still
    /// built (and checked further), the file still fails with them.
    static let valueRules: Set<String> = ["yaml.duplicate-key", "yaml.tag", "yaml.value", "yaml.merge-key"]

    /// Reads and parses the file at `url`, reporting it as `path`.
    public func load(url: URL, path: String) -> Document {
        let format = Document.format(of: path)
        let family = format == .json ? "json" : "yaml"
        switch readBytes(url: url, path: path, family: family) {
        case .success(let bytes): return parse(bytes: bytes, path: path, format: format)
        case .failure(let problem):
            return Document(path: path, format: format, text: "", root: nil, diagnostics: [problem.diagnostic])
        }
    }

    /// A file that was not read, as the diagnostic that says why.
    struct ReadProblem: Error {
        var diagnostic: Diagnostic
    }

    /// The file's bytes, or `*.too-large` / `*.unreadable`.
    func readBytes(url: URL, path: String, family: String) -> Result<[UInt8], ReadProblem> {
        switch FileBytes.read(url.path, limit: maxFileSize) {
        case .bytes(let bytes): return .success(bytes)
        case .tooLarge(let size): return .failure(ReadProblem(diagnostic: tooLarge(size: size, path: path, family: family)))
        case .unreadable(let why):
            return .failure(
                ReadProblem(diagnostic: Diagnostic(file: path, at: .start, rule: "\(family).unreadable", "cannot read the file: \(why)")))
        }
    }

    /// The `*.too-large` diagnostic for a file of `size` bytes (a symlink's target's size, not
    /// the link's), giving its real size: 17,000,000 bytes is 16.2 MiB, not "16 MiB, over the
    /// 16 MiB limit".
    func tooLarge(size: Int, path: String, family: String) -> Diagnostic {
        Diagnostic(
            file: path, at: .start, rule: "\(family).too-large",
            "file is \(Self.mebibytes(size)) (\(size) bytes), over the \(Self.mebibytes(maxFileSize)) limit (\(maxFileSize) bytes); overlay does not read it — split it or move the data out of the repo"
        )
    }

    /// A size in MiB with one decimal, rounded down so that a file just over the limit never
    /// reads as the limit itself ("16.0 MiB" only for exactly 16 MiB).
    static func mebibytes(_ bytes: Int) -> String {
        let tenths = bytes * 10 / 1_048_576
        return "\(tenths / 10).\(tenths % 10) MiB"
    }

    /// A vars file as Ansible reads it: JSON when it ends in `.json`, else YAML (with or
    /// without an extension: `host_vars/web1.example.org` is YAML too).
    public func loadVarsFile(url: URL, path: String) -> Document {
        let doc = load(url: url, path: path)
        // Read under the same limits as text, then parsed as the YAML it is.
        guard doc.format == .text, !doc.diagnostics.contains(where: { $0.severity == .error }) else { return doc }
        return parse(bytes: Array(doc.text.utf8), path: path, format: .yaml)
    }

    /// Parses in-memory bytes as a file at `path` (used by `load` and by tests).
    public func parse(data: Data, path: String, format: Document.Format? = nil) -> Document {
        parse(bytes: [UInt8](data), path: path, format: format)
    }

    /// Parses a file's bytes, reporting it as `path`.
    func parse(bytes: [UInt8], path: String, format: Document.Format? = nil) -> Document {
        let format = format ?? Document.format(of: path)
        let family = format == .json ? "json" : "yaml"
        var doc = Document(path: path, format: format, text: "", root: nil, diagnostics: [])
        var bytes = bytes
        if bytes.count >= 2, (bytes[0] == 0xFE && bytes[1] == 0xFF) || (bytes[0] == 0xFF && bytes[1] == 0xFE) {
            doc.diagnostics.append(
                Diagnostic(file: path, at: .start, rule: "\(family).encoding", "file is UTF-16; save it as UTF-8"))
            return doc
        }
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
            doc.diagnostics.append(
                Diagnostic(
                    file: path, at: .start, .warning, rule: "\(family).bom",
                    "file starts with a UTF-8 byte-order mark; save it without one"))
            bytes.removeFirst(3)
        }
        if let bad = UTF8Check.firstInvalidByte(bytes) {
            let mark = UTF8Check.mark(of: bad, in: bytes)
            doc.diagnostics.append(
                Diagnostic(
                    file: path, at: mark, rule: "\(family).encoding",
                    "invalid UTF-8 (byte 0x\(String(bytes[bad], radix: 16, uppercase: true))); save the file as UTF-8"))
            return doc
        }
        doc.text = String(decoding: bytes, as: UTF8.self)
        switch format {
        case .text:
            return doc
        case .json:
            var composer = JSONComposer(maxDepth: maxDepth)
            do {
                doc.root = try bytes.withUnsafeBufferPointer { buf throws(JSONComposer.Failure) in try composer.compose(buf) }
            } catch {
                doc.diagnostics.append(Diagnostic(file: path, at: error.mark, rule: error.rule, error.message))
            }
            for dup in composer.duplicates {
                doc.diagnostics.append(Diagnostic(file: path, at: dup.mark, rule: dup.rule, dup.message))
            }
        case .yaml:
            let composer = YAMLComposer(limits: .init(maxDepth: maxDepth, maxAliasExpansion: maxAliasExpansion))
            let (root, problems) = bytes.withUnsafeBufferPointer { composer.compose($0) }
            doc.root =
                problems.contains(where: { $0.severity == .error && !DocumentLoader.valueRules.contains($0.rule) })
                ? nil : (root ?? Node(.scalar("", .plain), mark: .start))
            for p in problems {
                var rule = p.rule
                var message = p.message
                if rule == "yaml.syntax", UTF8Check.lineHasTabIndent(bytes, line: p.mark.line) {
                    rule = "yaml.tab-indent"
                    message =
                        "tab character in the indentation of line \(p.mark.line); YAML indents with spaces only — replace the tab with spaces"
                }
                doc.diagnostics.append(
                    Diagnostic(file: path, at: p.mark, p.severity, rule: rule, message))
            }
        }
        return doc
    }
}

/// Byte-level helpers for encoding checks and positions.
enum UTF8Check {
    /// The offset of the first byte that is not valid UTF-8, or nil.
    static func firstInvalidByte(_ b: [UInt8]) -> Int? {
        var i = 0
        let n = b.count
        while i < n {
            let c = b[i]
            if c < 0x80 {
                i += 1
                continue
            }
            let len: Int
            if c >= 0xC2 && c <= 0xDF {
                len = 2
            } else if c >= 0xE0 && c <= 0xEF {
                len = 3
            } else if c >= 0xF0 && c <= 0xF4 {
                len = 4
            } else {
                return i
            }
            if i + len > n { return i }
            for k in 1..<len where b[i + k] & 0xC0 != 0x80 { return i }
            // Overlong, surrogate and out-of-range forms.
            if c == 0xE0 && b[i + 1] < 0xA0 { return i }
            if c == 0xED && b[i + 1] > 0x9F { return i }
            if c == 0xF0 && b[i + 1] < 0x90 { return i }
            if c == 0xF4 && b[i + 1] > 0x8F { return i }
            i += len
        }
        return nil
    }

    /// The line and column of byte `offset`.
    static func mark(of offset: Int, in b: [UInt8]) -> Mark {
        var line = 1
        var col = 1
        var i = 0
        while i < offset {
            if b[i] == 0x0A {
                line += 1
                col = 1
            } else if b[i] & 0xC0 != 0x80 {
                col += 1
            }
            i += 1
        }
        return Mark(line: line, column: col)
    }

    /// True when `line` (1-based) has a tab before its first non-blank character.
    static func lineHasTabIndent(_ b: [UInt8], line: Int) -> Bool {
        var current = 1
        var i = 0
        while i < b.count && current < line {
            if b[i] == 0x0A { current += 1 }
            i += 1
        }
        while i < b.count {
            switch b[i] {
            case 0x09: return true
            case 0x20, UInt8(ascii: "-"): i += 1
            default: return false
            }
        }
        return false
    }
}

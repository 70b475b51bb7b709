import Foundation
import OverlayCore

/// One record of a dataset without the provenance it needs.
public struct ProvenanceViolation: Sendable, Equatable, CustomStringConvertible {
    /// The file as the playbook names it.
    public var file: String
    /// 1-based line of the record.
    public var line: Int
    public var message: String

    public var description: String { "\(file):\(line): \(message)" }
}

/// `provenance: FILE` on a step: every record of the JSONL file must carry a `session_id`,
/// a `license` and a `consent` that the data policy allows — no session, no data, no model.
/// Read line by line, so a large dataset is never held in memory.
public struct ProvenanceCheck: Sendable {
    /// The consent levels `policy/data.yaml` allows.
    public var consentLevels: [String]
    /// How many violations to report before stopping.
    public var limit = 5

    public init(consentLevels: [String]) {
        self.consentLevels = consentLevels
    }

    /// The longest record read; a longer line is a violation, not an allocation.
    public static let maxRecordBytes = 1 << 20

    /// The first violations in the file at `path` (shown as `shown`); a missing file is one.
    public func violations(path: String, shown: String) -> [ProvenanceViolation] {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            return [ProvenanceViolation(file: shown, line: 0, message: "cannot read it (\(ErrnoText.describe(errno)))")]
        }
        defer { try? handle.close() }
        var found: [ProvenanceViolation] = []
        var record = Data()
        var overlong = false
        var number = 1
        func finish() {
            if overlong {
                found.append(ProvenanceViolation(file: shown, line: number, message: "record longer than \(Self.maxRecordBytes >> 20) MiB"))
            } else if !record.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }), let problem = problem(in: record) {
                found.append(ProvenanceViolation(file: shown, line: number, message: problem))
            }
            record.removeAll(keepingCapacity: true)
            overlong = false
            number += 1
        }
        while found.count < limit, let block = try? handle.read(upToCount: 1 << 16), !block.isEmpty {
            var rest = block[...]
            while found.count < limit, let newline = rest.firstIndex(of: 0x0A) {
                append(rest[..<newline], to: &record, overlong: &overlong)
                finish()
                rest = rest[rest.index(after: newline)...]
            }
            append(rest, to: &record, overlong: &overlong)
        }
        if found.count < limit, !record.isEmpty || overlong { finish() }
        return found
    }

    private func append(_ bytes: Data.SubSequence, to record: inout Data, overlong: inout Bool) {
        guard !overlong else { return }
        if record.count + bytes.count > Self.maxRecordBytes {
            overlong = true
            record.removeAll()
        } else {
            record.append(contentsOf: bytes)
        }
    }

    /// What is wrong with one record, or nil.
    func problem(in data: Data) -> String? {
        let doc = DocumentLoader().parse(data: data, path: "record", format: .json)
        guard doc.diagnostics.allSatisfy({ $0.severity != .error }), let root = doc.root, case .object = root.value else {
            return "not a JSON object: each line must be one record"
        }
        let record = root.value
        let missing = ["session_id", "license", "consent"].filter { key in
            guard let value = record[key] else { return true }
            if case .string(let s) = value { return s.trimmingCharacters(in: .whitespaces).isEmpty && key != "consent" }
            return key != "consent"
        }
        let levels = consentLevels.joined(separator: ", ")
        if missing.contains("consent") {
            return "record has no \(missing.joined(separator: ", ")) (consent must be one of: \(levels))"
        }
        if !missing.isEmpty { return "record has no \(missing.joined(separator: ", "))" }
        guard case .string(let level) = record["consent"], consentLevels.contains(level) else {
            let shown = record["consent"].map { JSONWriter.string($0) } ?? "null"
            return "consent \(shown) is not an allowed level (policy/data.yaml: \(levels))"
        }
        return nil
    }
}

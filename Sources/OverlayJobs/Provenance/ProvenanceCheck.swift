import Foundation

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

    /// The first violations in the file at `path` (shown as `shown`); a missing file is one.
    public func violations(path: String, shown: String) -> [ProvenanceViolation] {
        guard let file = fopen(path, "r") else {
            return [ProvenanceViolation(file: shown, line: 0, message: "cannot read it (\(String(cString: strerror(errno))))")]
        }
        defer { fclose(file) }
        var found: [ProvenanceViolation] = []
        var line: UnsafeMutablePointer<CChar>?
        var capacity = 0
        var number = 0
        defer { free(line) }
        while found.count < limit {
            let length = getline(&line, &capacity, file)
            guard length >= 0, let line else { break }
            number += 1
            let bytes = UnsafeRawBufferPointer(start: line, count: length)
            if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }) { continue }
            if let problem = problem(in: Data(bytes)) {
                found.append(ProvenanceViolation(file: shown, line: number, message: problem))
            }
        }
        return found
    }

    /// What is wrong with one record, or nil.
    func problem(in data: Data) -> String? {
        guard let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            return "not a JSON object: each line must be one record"
        }
        var missing: [String] = []
        for key in ["session_id", "license"] {
            let value = object[key]
            if let s = value as? String, !s.trimmingCharacters(in: .whitespaces).isEmpty { continue }
            missing.append(key)
        }
        let levels = consentLevels.joined(separator: ", ")
        guard let consent = object["consent"] else {
            missing.append("consent")
            return "record has no \(missing.joined(separator: ", ")) (consent must be one of: \(levels))"
        }
        if !missing.isEmpty { return "record has no \(missing.joined(separator: ", "))" }
        guard let level = consent as? String, consentLevels.contains(level) else {
            let shown = (consent as? String).map { "'\($0)'" } ?? "\(consent)"
            return "consent \(shown) is not an allowed level (policy/data.yaml: \(levels))"
        }
        return nil
    }
}

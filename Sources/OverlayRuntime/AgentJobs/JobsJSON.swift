import Foundation
import OverlayCore

/// A JSON value of the harness's `jobs.json`, kept as written: objects keep their key order
/// (and a repeated key, which Python reads as the last one), numbers keep their text, so a
/// job overlay does not own is written back with the same meaning, byte for byte in its values.
public enum JobsJSON: Sendable, Equatable {
    case null
    case bool(Bool)
    /// The number's text (`1`, `2.50`, `1e3`, and Python's `NaN`, `Infinity`, `-Infinity`).
    case number(String)
    case string(String)
    case array([JobsJSON])
    case object([(String, JobsJSON)])

    public static func == (a: JobsJSON, b: JobsJSON) -> Bool {
        switch (a, b) {
        case (.null, .null): return true
        case (.bool(let x), .bool(let y)): return x == y
        case (.number(let x), .number(let y)): return x == y || Double(x).flatMap { dx in Double(y).map { dx == $0 } } == true
        case (.string(let x), .string(let y)): return x == y
        case (.array(let x), .array(let y)): return x == y
        case (.object(let x), .object(let y)):
            // As Python compares dicts: by key, the last of a repeated key, in any order.
            let dx = Dictionary(x, uniquingKeysWith: { _, last in last })
            let dy = Dictionary(y, uniquingKeysWith: { _, last in last })
            return dx.count == dy.count && dx.allSatisfy { key, value in dy[key].map { $0 == value } ?? false }
        default: return false
        }
    }

    /// The member `key` (the last one when repeated, as Python reads it).
    public subscript(key: String) -> JobsJSON? {
        guard case .object(let pairs) = self else { return nil }
        return pairs.last { $0.0 == key }?.1
    }

    /// This object with `key` set to `value` (replacing every occurrence in place, or appended).
    public func setting(_ key: String, _ value: JobsJSON) -> JobsJSON {
        guard case .object(var pairs) = self else { return self }
        if pairs.contains(where: { $0.0 == key }) {
            pairs = pairs.map { $0.0 == key ? (key, value) : $0 }
        } else {
            pairs.append((key, value))
        }
        return .object(pairs)
    }

    public var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    public var boolValue: Bool? {
        if case .bool(let b) = self { return b }
        return nil
    }

    /// A core `Value` as a `JobsJSON` (what the schedule model produces).
    public init(_ value: Value) {
        switch value {
        case .null: self = .null
        case .bool(let b): self = .bool(b)
        case .int(let i): self = .number(String(i))
        case .bigInt(let digits): self = .number(digits)
        case .double(let d): self = .number(d == d.rounded() && abs(d) < 1e15 ? String(format: "%.1f", d) : String(d))
        case .string(let s): self = .string(s)
        case .array(let items): self = .array(items.map(JobsJSON.init))
        case .object(let pairs): self = .object(pairs.map { ($0.0, JobsJSON($0.1)) })
        }
    }

    /// `value` or null.
    static func string(_ value: String?) -> JobsJSON { value.map(JobsJSON.string) ?? .null }

    /// A list of strings, or null.
    static func strings(_ values: [String]?) -> JobsJSON { values.map { .array($0.map(JobsJSON.string)) } ?? .null }
}

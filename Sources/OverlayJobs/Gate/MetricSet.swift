import Foundation
import OverlayCore

/// Named numeric metrics from a JSON file (`{"accuracy": 0.82, "latency_ms": 41}`), in file order.
public struct MetricSet: Sendable, Codable, Equatable {
    /// Metric names in file order.
    public private(set) var names: [String] = []
    /// The values by name.
    public private(set) var values: [String: Double] = [:]

    /// A set from name/value pairs.
    public init(_ pairs: [(String, Double)] = []) {
        for (name, value) in pairs where values[name] == nil {
            names.append(name)
            values[name] = value
        }
    }

    /// The value of a metric.
    public subscript(name: String) -> Double? { values[name] }

    /// The set as a JSON value, in file order.
    public var json: Value { .object(names.map { ($0, Self.jsonNumber(values[$0] ?? 0)) }) }

    static func jsonNumber(_ d: Double) -> Value {
        if d == d.rounded(), abs(d) < 1e15 { return .int(Int(d)) }
        return .double(d)
    }

    /// Why a metrics file cannot be used.
    public struct Problem: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    /// Reads the metrics file at `path` (shown as `shown`); nil when it does not exist.
    /// Every value must be a finite number; anything else names the key and its line.
    public static func load(path: String, shown: String) throws(Problem) -> MetricSet? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        let loader = DocumentLoader()
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        guard size <= loader.maxFileSize, let data = FileManager.default.contents(atPath: path) else {
            throw Problem(description: "\(shown) cannot be read (or is over \(loader.maxFileSize >> 20) MiB)")
        }
        let doc = loader.parse(data: data, path: shown, format: .json)
        if let first = doc.diagnostics.first(where: { $0.severity == .error }) {
            throw Problem(description: "\(shown) is not valid JSON: \(first.description)")
        }
        guard let pairs = doc.root?.pairs else {
            throw Problem(description: "\(shown) must be a JSON object of metric names to numbers, like {\"accuracy\": 0.82}")
        }
        var set: [(String, Double)] = []
        for pair in pairs {
            let name = pair.key.value.keyString
            switch pair.value.value {
            case .int(let i): set.append((name, Double(i)))
            case .double(let d) where d.isFinite: set.append((name, d))
            default:
                let shownValue = pair.value.scalarText.map { "'\($0)'" } ?? "a \(pair.value.typeName)"
                throw Problem(
                    description:
                        "\(shown):\(pair.value.mark.line):\(pair.value.mark.column): metric '\(name)' is \(shownValue), not a number")
            }
        }
        return MetricSet(set)
    }
}

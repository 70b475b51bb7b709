/// `--serial` as Ansible's `serial:` reads it: a batch size, a percentage of the selected
/// hosts, or a list of them for growing batches (`1,10%,50%`) whose last entry repeats until
/// every host is in a batch.
public struct SerialBatches: Sendable, Equatable, CustomStringConvertible {
    /// One entry of the list.
    public enum Step: Sendable, Equatable {
        case count(Int)
        case percent(Double)
    }

    /// The entries, in order (empty: one batch of every host).
    public var steps: [Step]

    /// One batch of every host.
    public static let all = SerialBatches(steps: [])

    /// The entries as given.
    public init(steps: [Step]) { self.steps = steps }

    /// Parses `1`, `30%` or `1,10%,50%`; nil with the reason in `problem` when an entry is not
    /// a positive count or a percentage in (0, 100].
    public init(parsing text: String) throws(SerialError) {
        var steps: [Step] = []
        for raw in text.split(separator: ",", omittingEmptySubsequences: false) {
            let entry = raw.trimmingCharacters(in: .whitespaces)
            if entry.hasSuffix("%") {
                guard let value = Double(entry.dropLast()), value.isFinite else { throw .notANumber(entry) }
                guard value > 0, value <= 100 else { throw .percentOutOfRange(entry) }
                steps.append(.percent(value))
            } else {
                guard let value = Int(entry) else { throw .notANumber(entry) }
                guard value > 0 else { throw .zero(entry) }
                steps.append(.count(value))
            }
        }
        self.steps = steps
    }

    /// Splits `hosts` into batches, as Ansible does: percentages are of all the selected hosts,
    /// rounded down but at least one host.
    public func batches<T>(_ hosts: [T]) -> [[T]] {
        guard !steps.isEmpty, !hosts.isEmpty else { return hosts.isEmpty ? [] : [hosts] }
        var out: [[T]] = []
        var start = 0
        var index = 0
        while start < hosts.count {
            let size: Int
            switch steps[index] {
            case .count(let n): size = n
            case .percent(let p): size = max(Int(p / 100 * Double(hosts.count)), 1)
            }
            let end = min(start + size, hosts.count)
            out.append(Array(hosts[start..<end]))
            start = end
            index = min(index + 1, steps.count - 1)
        }
        return out
    }

    public var description: String {
        steps.map { step in
            switch step {
            case .count(let n): return String(n)
            case .percent(let p): return p == p.rounded() ? "\(Int(p))%" : "\(p)%"
            }
        }.joined(separator: ",")
    }
}

/// Why a `--serial` value is refused.
public enum SerialError: Error, Sendable, Equatable, CustomStringConvertible {
    case notANumber(String)
    case zero(String)
    case percentOutOfRange(String)

    public var description: String {
        switch self {
        case .notANumber(let entry):
            return "--serial entry '\(entry)' is not a host count or a percentage; write e.g. 2, 30% or 1,10%,50%"
        case .zero(let entry):
            return "--serial entry '\(entry)' must be at least 1 host"
        case .percentOutOfRange(let entry):
            return "--serial entry '\(entry)' must be a percentage above 0% and at most 100%"
        }
    }
}

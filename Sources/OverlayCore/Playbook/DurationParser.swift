import Foundation

/// Durations as the overlay files write them: `30s`, `5m`, `4h`, `1d`, or bare seconds.
public enum DurationParser {
    /// What a duration looks like, for messages that reject one.
    public static let expected = "a number with a unit s, m, h or d (30s, 5m, 4h, 1d), or a bare number of seconds"

    /// Seconds for a duration text, or nil when it is not one (an unknown unit such as
    /// `2w` is not one: reading it as seconds would turn two weeks into two seconds).
    public static func seconds(_ text: String) -> Int? {
        let t = text.trimmingCharacters(in: .whitespaces)
        guard let last = t.last else { return nil }
        let unit: Int
        var digits = Substring(t)
        switch last {
        case "s": unit = 1
        case "m": unit = 60
        case "h": unit = 3600
        case "d": unit = 86400
        case _ where last.isASCII && last.isNumber: unit = 1
        default: return nil
        }
        if !last.isNumber { digits = digits.dropLast() }
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }), let n = Int(digits) else { return nil }
        let (v, overflow) = n.multipliedReportingOverflow(by: unit)
        return overflow ? nil : v
    }

    /// Seconds for a node holding a duration (a number or a duration string).
    public static func seconds(_ node: Node) -> Int? {
        switch node.value {
        case .int(let i): return i >= 0 ? i : nil
        case .string(let s): return seconds(s)
        default: return nil
        }
    }
}

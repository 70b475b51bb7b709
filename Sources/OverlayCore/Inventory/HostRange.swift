/// A host key of a YAML inventory expanded the way Ansible expands it.
///
/// `web[01:04].example.com` names four hosts, `db-[a:c]` three, `n[0:10:5]` three
/// (with a step); several ranges in one key multiply. A trailing `:PORT`
/// (`web1:2222`) sets `ansible_port` on hosts it creates.
public struct HostRange: Sendable, Equatable {
    /// The host names, in Ansible's order.
    public var hosts: [String]
    /// The port written after the name, if any.
    public var port: Int?

    /// Why a range could not be expanded.
    public struct Failure: Error, Sendable, Equatable, CustomStringConvertible {
        /// What is wrong, phrased like Ansible's own message.
        public var description: String
    }

    /// Letters in the order Ansible's alphabetic ranges use (`string.ascii_letters`).
    private static let letters = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")

    /// Expands `key` (a host key as written in the inventory).
    public init(_ key: String) throws(Failure) {
        let (name, port) = HostRange.splitPort(key)
        self.port = port
        self.hosts = name.utf8.contains(UInt8(ascii: "[")) ? try HostRange.expand(name) : [name]
    }

    /// How many hosts `key` names, counted without expanding it (so `[0:99999999]` costs
    /// nothing); saturates at `Int.max`. Throws what expanding would throw.
    public static func count(_ key: String) throws(Failure) -> Int {
        guard key.utf8.contains(UInt8(ascii: "[")) else { return 1 }
        var rest = Substring(splitPort(key).0)
        var total = 1
        while let open = rest.utf8.firstIndex(of: UInt8(ascii: "[")) {
            let afterOpen = rest.index(after: open)
            guard let close = rest[afterOpen...].utf8.firstIndex(of: UInt8(ascii: "]")) else {
                throw Failure(description: "'\(key)' opens a range with '[' but never closes it with ']'")
            }
            let (bounds, step) = try parts(String(rest[afterOpen..<close]))
            let n = try itemCount(begin: bounds.begin, end: bounds.end, step: step, body: String(rest[afterOpen..<close]))
            let (product, overflow) = total.multipliedReportingOverflow(by: n)
            total = overflow ? Int.max : product
            rest = rest[rest.index(after: close)...]
        }
        return total
    }

    /// The begin, end and step of a range body (`01:10`, `a:f`, `0:30:10`).
    private static func parts(_ body: String) throws(Failure) -> ((begin: String, end: String), Int) {
        let bounds = body.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        guard bounds.count == 2 || bounds.count == 3 else {
            throw Failure(description: "host range [\(body)] must be begin:end or begin:end:step")
        }
        let begin = bounds[0].isEmpty ? "0" : bounds[0]
        guard !bounds[1].isEmpty else { throw Failure(description: "host range [\(body)] must specify an end value") }
        var step = 1
        if bounds.count == 3 {
            guard let s = Int(bounds[2]) else { throw Failure(description: "host range step '\(bounds[2])' is not a number") }
            step = s
        }
        if begin.hasPrefix("0") && begin.count > 1 && begin.count != bounds[1].count {
            throw Failure(description: "host range [\(body)] must use begin and end of equal length (\(begin) and \(bounds[1]))")
        }
        return ((begin, bounds[1]), step)
    }

    /// The number of items of one range, as `sequence` would produce them.
    private static func itemCount(begin: String, end: String, step: Int, body: String) throws(Failure) -> Int {
        if let b = letterIndex(begin), let e = letterIndex(end) {
            guard b <= e else { throw Failure(description: "host range [\(body)] must have begin <= end") }
            guard step > 0 else { throw Failure(description: "host range [\(body)] needs a step of at least 1") }
            return (e - b) / step + 1
        }
        guard let b = Int(begin), let e = Int(end) else {
            // Numbers past 64 bits: Python would count them; so many hosts are past any limit.
            let digits: (String) -> Bool = { !$0.isEmpty && $0.drop(while: { $0 == "-" }).allSatisfy(\.isASCIIDigit) }
            if digits(begin), digits(end), step != 0 { return Int.max }
            throw Failure(description: "host range [\(body)] must be numbers (01:10) or single letters (a:f)")
        }
        guard step != 0 else { throw Failure(description: "host range [\(body)] has a step of 0") }
        // Python's range(b, e + 1, step), counted in the wide type so no bound can overflow.
        let span = step > 0 ? Int128(e) + 1 - Int128(b) : Int128(b) - (Int128(e) + 1)
        guard span > 0 else { return 0 }
        let stride = Int128(step.magnitude)
        return Int(clamping: (span + stride - 1) / stride)
    }

    /// Separates `name:PORT` or `[v6]:PORT`; other text is returned whole (Ansible's parse_address).
    static func splitPort(_ key: String) -> (String, Int?) {
        guard key.utf8.contains(UInt8(ascii: ":")) else { return (key, nil) }
        let scalars = Array(key.unicodeScalars)
        guard let colon = scalars.lastIndex(of: ":"), colon + 1 < scalars.count,
            scalars[(colon + 1)...].allSatisfy({ ("0"..."9").contains($0) }),
            let port = Int(String(String.UnicodeScalarView(scalars[(colon + 1)...])))
        else { return (key, nil) }
        let head = Array(scalars[..<colon])
        if head.first == "[", head.last == "]", head.count > 2 {
            return (String(String.UnicodeScalarView(head[1..<(head.count - 1)])), port)
        }
        // A colon outside brackets means an IPv6 address or a pattern list, not a port.
        var depth = 0
        for c in head {
            if c == "[" { depth += 1 } else if c == "]" { depth -= 1 } else if c == ":" && depth == 0 { return (key, nil) }
            if depth < 0 || depth > 1 { return (key, nil) }
        }
        guard depth == 0, !head.isEmpty else { return (key, nil) }
        return (String(String.UnicodeScalarView(head)), port)
    }

    /// Ansible's expand_hostname_range: the first `[...]` is expanded, then the results recursively.
    static func expand(_ line: String) throws(Failure) -> [String] {
        guard let open = line.firstIndex(of: "[") else { return [line] }
        let afterOpen = line.index(after: open)
        guard let close = line[afterOpen...].firstIndex(of: "]") else {
            throw Failure(description: "'\(line)' opens a range with '[' but never closes it with ']'")
        }
        let head = line[..<open]
        let body = line[afterOpen..<close]
        let tail = line[line.index(after: close)...]
        let ((begin, end), step) = try parts(String(body))
        let width = begin.hasPrefix("0") && begin.count > 1 ? begin.count : 0
        let items = try sequence(begin: begin, end: end, step: step, body: String(body))
        var out: [String] = []
        for item in items {
            let padded =
                width > item.count && item.allSatisfy(\.isNumber)
                ? String(repeating: "0", count: width - item.count) + item : item
            let name = String(head) + padded + String(tail)
            if name.contains("[") { out += try expand(name) } else { out.append(name) }
        }
        return out
    }

    /// The range's items: letters when both bounds are (runs of) letters, else integers.
    private static func sequence(begin: String, end: String, step: Int, body: String) throws(Failure) -> [String] {
        if let b = letterIndex(begin), let e = letterIndex(end) {
            guard b <= e else { throw Failure(description: "host range [\(body)] must have begin <= end") }
            guard step > 0 else { throw Failure(description: "host range [\(body)] needs a step of at least 1") }
            return stride(from: b, through: e, by: step).map { String(letters[$0]) }
        }
        guard let b = Int(begin), let e = Int(end) else {
            throw Failure(description: "host range [\(body)] must be numbers (01:10) or single letters (a:f)")
        }
        guard step != 0 else { throw Failure(description: "host range [\(body)] has a step of 0") }
        // Python's range() excludes the end; Ansible passes end + 1 (counted before, so no overflow here).
        guard e < Int.max else { throw Failure(description: "host range [\(body)] ends past the largest number") }
        return stride(from: b, to: e + 1, by: step).map { String($0) }
    }

    /// Where `text` occurs in `ascii_letters` (Python's str.index), or nil.
    private static func letterIndex(_ text: String) -> Int? {
        let needle = Array(text)
        guard !needle.isEmpty, needle.count <= letters.count else { return nil }
        for start in 0...(letters.count - needle.count) where Array(letters[start..<(start + needle.count)]) == needle {
            return start
        }
        return nil
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}

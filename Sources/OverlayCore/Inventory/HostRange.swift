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
        let bounds = body.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        guard bounds.count == 2 || bounds.count == 3 else {
            throw Failure(description: "host range [\(body)] must be begin:end or begin:end:step")
        }
        let begin = bounds[0].isEmpty ? "0" : bounds[0]
        let end = bounds[1]
        guard !end.isEmpty else { throw Failure(description: "host range [\(body)] must specify an end value") }
        var width = 0
        if begin.hasPrefix("0") && begin.count > 1 {
            guard begin.count == end.count else {
                throw Failure(description: "host range [\(body)] must use begin and end of equal length (\(begin) and \(end))")
            }
            width = begin.count
        }
        var step = 1
        if bounds.count == 3 {
            guard let s = Int(bounds[2]) else { throw Failure(description: "host range step '\(bounds[2])' is not a number") }
            step = s
        }
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
        // Python's range() excludes the end; Ansible passes end + 1.
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

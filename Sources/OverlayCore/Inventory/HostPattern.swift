import Foundation

/// An Ansible host pattern, as `--limit`, a play's `hosts:` and a cron job's `hosts:`
/// understand it: names, groups, `all`, `*`/`?`/`[…]` globs, `~regex`, `a:b` or `a,b`
/// union, `&` intersection, `!` exclusion and `[i]`/`[i:j]` subscripts.
///
/// Evaluation follows Ansible's InventoryManager: plain terms first, then the `&`
/// terms, then the `!` terms, whatever order they were written in.
public struct HostPattern: Sendable, Equatable {
    /// How a term combines with the hosts matched so far.
    public enum Operation: Sendable, Equatable {
        case union, intersection, exclusion
    }

    /// One term of a pattern.
    public struct Term: Sendable, Equatable {
        /// Union, `&` intersection or `!` exclusion.
        public var operation: Operation
        /// The term without its `&`/`!` prefix and subscript.
        public var expression: String
        /// `[i]` (end nil) or `[i:j]` (end -1 for `[i:]`), Ansible's subscript.
        public var slice: (start: Int, end: Int?)?

        public static func == (a: Term, b: Term) -> Bool {
            a.operation == b.operation && a.expression == b.expression && a.slice?.start == b.slice?.start
                && a.slice?.end == b.slice?.end
        }
    }

    /// The pattern as written.
    public let text: String
    /// The terms in evaluation order.
    public let terms: [Term]

    /// Parses `text`; empty terms are dropped, and no plain term means `all`.
    public init(_ text: String) {
        self.text = text
        let parts = HostPattern.split(text)
        var regular: [Term] = []
        var intersections: [Term] = []
        var exclusions: [Term] = []
        for part in parts {
            var op = Operation.union
            var body = Substring(part)
            if body.first == "!" {
                op = .exclusion
                body = body.dropFirst()
            } else if body.first == "&" {
                op = .intersection
                body = body.dropFirst()
            }
            let (expression, sub) = HostPattern.splitSubscript(String(body))
            let term = Term(operation: op, expression: expression, slice: sub)
            switch op {
            case .union: regular.append(term)
            case .intersection: intersections.append(term)
            case .exclusion: exclusions.append(term)
            }
        }
        if regular.isEmpty { regular = [Term(operation: .union, expression: "all", slice: nil)] }
        self.terms = regular + intersections + exclusions
    }

    /// Ansible's split_host_pattern: commas, else colons outside `[...]` unless the whole
    /// pattern is one address with a port (`host:22`) or an IPv6 address.
    static func split(_ text: String) -> [String] {
        if text.contains(",") {
            return text.split(separator: ",", omittingEmptySubsequences: false)
                .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if isSingleAddress(trimmed) { return trimmed.isEmpty ? [] : [trimmed] }
        var parts: [String] = []
        var current = ""
        var inBracket = false
        for c in text {
            if inBracket {
                current.append(c)
                if c == "]" { inBracket = false }
            } else if c == "[" {
                current.append(c)
                inBracket = true
            } else if c == ":" || c == "]" || c.isWhitespace {
                if !current.isEmpty { parts.append(current) }
                current = ""
            } else {
                current.append(c)
            }
        }
        if !current.isEmpty { parts.append(current) }
        return parts
    }

    /// True for `name:PORT` with a plain host name, and for IPv6 addresses.
    private static func isSingleAddress(_ text: String) -> Bool {
        let colons = text.filter { $0 == ":" }.count
        if colons >= 2, text.allSatisfy({ $0.isHexDigit || $0 == ":" || $0 == "." }), text.contains("::") || colons == 7 {
            return true
        }
        let (host, port) = HostRange.splitPort(text)
        guard port != nil, let first = host.first, first.isLetter || first.isNumber else { return false }
        return host.allSatisfy { $0.isLetter || $0.isNumber || "-_.[]:".contains($0) }
    }

    /// Separates a trailing `[i]`, `[i:j]`, `[i:]` or `[i-j]` (not for `~regex` terms).
    static func splitSubscript(_ term: String) -> (String, (start: Int, end: Int?)?) {
        guard term.first != "~", term.hasSuffix("]"), let open = term.lastIndex(of: "["), open != term.startIndex else {
            return (term, nil)
        }
        let inner = term[term.index(after: open)..<term.index(before: term.endIndex)]
        let head = String(term[..<open])
        if let single = Int(inner), inner.allSatisfy({ $0.isNumber || $0 == "-" }) { return (head, (single, nil)) }
        guard let sep = inner.firstIndex(where: { $0 == ":" || $0 == "-" }), let start = Int(inner[..<sep]),
            inner[..<sep].allSatisfy(\.isNumber)
        else { return (term, nil) }
        let rest = inner[inner.index(after: sep)...]
        guard rest.allSatisfy(\.isNumber) else { return (term, nil) }
        return (head, (start, rest.isEmpty ? -1 : Int(rest)))
    }

    /// The hosts of `inventory` this pattern selects, without duplicates, in Ansible's order.
    public func hosts(in inventory: Inventory) -> [String] {
        var hosts: [String] = []
        var present: Set<String> = []
        for term in terms {
            let raw = (term.operation == .union ? "" : term.operation == .intersection ? "&" : "!") + term.expression
            if term.operation == .union, term.slice == nil, inventory.host(named: raw) != nil {
                if present.insert(raw).inserted { hosts.append(raw) }
                continue
            }
            let matched = term.matches(in: inventory)
            switch term.operation {
            case .union:
                for h in matched where present.insert(h).inserted { hosts.append(h) }
            case .intersection:
                let keep = Set(matched)
                hosts.removeAll { !keep.contains($0) }
                present = Set(hosts)
            case .exclusion:
                let drop = Set(matched)
                hosts.removeAll { drop.contains($0) }
                present = Set(hosts)
            }
        }
        return hosts
    }
}

extension HostPattern.Term {
    /// Ansible's _match_one_pattern: matching groups' hosts, then matching host names
    /// (only when no group matched or the term is a glob or regex), else the implicit
    /// localhost for `localhost`/`127.0.0.1`/`::1`, then the subscript.
    func matches(in inventory: Inventory) -> [String] {
        let matcher = NameMatcher(expression)
        var results: [String] = []
        let groups = inventory.groupNames.filter(matcher.matches)
        for g in groups { results += inventory.hosts(inGroup: g) }
        if groups.isEmpty || matcher.isPattern {
            results += inventory.hostNames.filter(matcher.matches)
        }
        // A name of this machine that matched nothing is Ansible's implicit localhost.
        if results.isEmpty, inventory.isImplicitLocalhost(expression) { results = [expression] }
        guard let sub = slice, !results.isEmpty else { return results }
        if let end = sub.end, end != 0 {
            let last = end == -1 ? results.count - 1 : end
            guard sub.start < results.count, sub.start <= last else { return [] }
            return Array(results[sub.start...min(last, results.count - 1)])
        }
        let index = sub.start < 0 ? results.count + sub.start : sub.start
        return results.indices.contains(index) ? [results[index]] : []
    }
}

/// Matches names against one term: a literal, a shell glob (fnmatch) or `~regex` (anchored at the start).
struct NameMatcher {
    private let literal: String?
    private let glob: [Unicode.Scalar]?
    private let regex: NSRegularExpression?
    /// True for globs and regexes, which Ansible also tries against host names.
    let isPattern: Bool

    init(_ expression: String) {
        if expression.hasPrefix("~") {
            regex = try? NSRegularExpression(pattern: String(expression.dropFirst()))
            glob = nil
            literal = regex == nil ? "" : nil
            isPattern = true
        } else if expression.contains(where: { "*?[".contains($0) }) {
            glob = Array(expression.unicodeScalars)
            literal = nil
            regex = nil
            isPattern = true
        } else {
            literal = expression
            glob = nil
            regex = nil
            isPattern = expression.contains(".")
        }
    }

    func matches(_ name: String) -> Bool {
        if let literal { return literal == name && !literal.isEmpty }
        if let glob { return Glob.fnmatch(glob[...], Array(name.unicodeScalars)[...]) }
        guard let regex else { return false }
        let range = NSRange(name.startIndex..., in: name)
        return regex.firstMatch(in: name, options: [.anchored], range: range) != nil
    }
}

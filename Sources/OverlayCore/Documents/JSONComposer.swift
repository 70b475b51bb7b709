/// Parses JSON text into a located `Node` tree (strings double-quoted, numbers tagged).
///
/// A small hand-written parser: JSON is not quite YAML 1.1 (exponents, escapes), and
/// duplicate keys, depth and positions must be reported under `json.*` rules.
struct JSONComposer {
    var maxDepth = 100

    struct Failure: Error {
        var mark: Mark
        var rule: String
        var message: String
    }

    private var bytes: UnsafeBufferPointer<UInt8> = UnsafeBufferPointer(start: nil, count: 0)
    private var index = 0
    private var line = 1
    private var lineStart = 0
    private var depth = 0
    /// Duplicate keys found; they do not stop parsing.
    private(set) var duplicates: [Failure] = []

    init(maxDepth: Int = 100) { self.maxDepth = maxDepth }

    /// Parses a whole JSON document.
    mutating func compose(_ input: UnsafeBufferPointer<UInt8>) throws(Failure) -> Node {
        bytes = input
        index = 0
        line = 1
        lineStart = 0
        skipWhitespace()
        let node = try parseValue()
        skipWhitespace()
        if index < bytes.count {
            throw fail("unexpected text after the JSON value; remove it")
        }
        return node
    }

    private var mark: Mark {
        // Columns count characters: skip UTF-8 continuation bytes.
        var col = 1
        var i = lineStart
        while i < index {
            if bytes[i] & 0xC0 != 0x80 { col += 1 }
            i += 1
        }
        return Mark(line: line, column: col)
    }

    private func fail(_ message: String, rule: String = "json.syntax") -> Failure {
        Failure(mark: mark, rule: rule, message: message)
    }

    private mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0D: index += 1
            case 0x0A:
                index += 1
                line += 1
                lineStart = index
            default: return
            }
        }
    }

    private mutating func parseValue() throws(Failure) -> Node {
        guard index < bytes.count else { throw fail("unexpected end of file; the JSON value is incomplete") }
        let start = mark
        switch bytes[index] {
        case UInt8(ascii: "{"): return try parseObject(start)
        case UInt8(ascii: "["): return try parseArray(start)
        case UInt8(ascii: "\""):
            return Node(.scalar(try parseString(), .doubleQuoted), mark: start)
        case UInt8(ascii: "t"): try literal("true"); return Node(.scalar("true", .plain), mark: start)
        case UInt8(ascii: "f"): try literal("false"); return Node(.scalar("false", .plain), mark: start)
        case UInt8(ascii: "n"): try literal("null"); return Node(.scalar("null", .plain), mark: start)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseNumber(start)
        default:
            throw fail("unexpected character '\(Character(Unicode.Scalar(bytes[index])))'; expected a JSON value")
        }
    }

    private mutating func literal(_ word: String) throws(Failure) {
        let w = Array(word.utf8)
        let n = w.count
        guard index + n <= bytes.count else { throw fail("invalid literal; expected \(word)") }
        for k in 0..<n where bytes[index + k] != w[k] {
            throw fail("invalid literal; expected \(word)")
        }
        index += n
    }

    private mutating func enter() throws(Failure) {
        depth += 1
        if depth > maxDepth {
            throw fail("nesting deeper than \(maxDepth) levels; flatten the structure", rule: "json.depth")
        }
    }

    private mutating func parseObject(_ start: Mark) throws(Failure) -> Node {
        try enter()
        index += 1
        var pairs: [Node.Pair] = []
        var seen: [String: Int] = [:]
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
            index += 1
            depth -= 1
            return Node(.mapping([]), mark: start)
        }
        while true {
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else {
                throw fail("expected a quoted key; JSON keys must be strings in double quotes")
            }
            let keyMark = mark
            let key = try parseString()
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else {
                throw fail("expected ':' after the key")
            }
            index += 1
            skipWhitespace()
            let value = try parseValue()
            let keyNode = Node(.scalar(key, .doubleQuoted), mark: keyMark)
            if let first = seen[key] {
                duplicates.append(
                    Failure(
                        mark: keyMark, rule: "json.duplicate-key",
                        message:
                            "duplicate key '\(key)' (first defined at line \(pairs[first].key.mark.line)); only the last one counts — remove one"
                    ))
                pairs[first] = Node.Pair(key: keyNode, value: value)
            } else {
                seen[key] = pairs.count
                pairs.append(Node.Pair(key: keyNode, value: value))
            }
            skipWhitespace()
            guard index < bytes.count else { throw fail("unexpected end of file; expected ',' or '}'") }
            if bytes[index] == UInt8(ascii: ",") {
                index += 1
                continue
            }
            if bytes[index] == UInt8(ascii: "}") {
                index += 1
                depth -= 1
                return Node(.mapping(pairs), mark: start)
            }
            throw fail("expected ',' or '}' in the object")
        }
    }

    private mutating func parseArray(_ start: Mark) throws(Failure) -> Node {
        try enter()
        index += 1
        var items: [Node] = []
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
            index += 1
            depth -= 1
            return Node(.sequence([]), mark: start)
        }
        while true {
            skipWhitespace()
            items.append(try parseValue())
            skipWhitespace()
            guard index < bytes.count else { throw fail("unexpected end of file; expected ',' or ']'") }
            if bytes[index] == UInt8(ascii: ",") {
                index += 1
                continue
            }
            if bytes[index] == UInt8(ascii: "]") {
                index += 1
                depth -= 1
                return Node(.sequence(items), mark: start)
            }
            throw fail("expected ',' or ']' in the array")
        }
    }

    private mutating func parseNumber(_ start: Mark) throws(Failure) -> Node {
        let begin = index
        var isFloat = false
        if bytes[index] == UInt8(ascii: "-") { index += 1 }
        while index < bytes.count {
            let c = bytes[index]
            if c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9") {
                index += 1
            } else if c == UInt8(ascii: ".") || c == UInt8(ascii: "e") || c == UInt8(ascii: "E")
                || c == UInt8(ascii: "+") || c == UInt8(ascii: "-")
            {
                isFloat = true
                index += 1
            } else {
                break
            }
        }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[begin..<index]), as: UTF8.self)
        if isFloat {
            guard Double(text) != nil else { throw Failure(mark: start, rule: "json.syntax", message: "invalid number '\(text)'") }
            return Node(.scalar(text, .plain), mark: start, tagCode: .float)
        }
        guard Int(text) != nil || Double(text) != nil else {
            throw Failure(mark: start, rule: "json.syntax", message: "invalid number '\(text)'")
        }
        // An integer of any size stays an integer, as Python's json reads it.
        return Node(.scalar(text, .plain), mark: start, tagCode: .int)
    }

    private mutating func parseString() throws(Failure) -> String {
        index += 1
        var out: [UInt8] = []
        while index < bytes.count {
            let c = bytes[index]
            switch c {
            case UInt8(ascii: "\""):
                index += 1
                return String(decoding: out, as: UTF8.self)
            case UInt8(ascii: "\\"):
                index += 1
                guard index < bytes.count else { break }
                let e = bytes[index]
                index += 1
                switch e {
                case UInt8(ascii: "\""): out.append(0x22)
                case UInt8(ascii: "\\"): out.append(0x5C)
                case UInt8(ascii: "/"): out.append(0x2F)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "u"):
                    var code = try hex4()
                    if (0xD800..<0xDC00).contains(code), index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"),
                        bytes[index + 1] == UInt8(ascii: "u")
                    {
                        index += 2
                        let low = try hex4()
                        code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                    }
                    let scalar = Unicode.Scalar(code) ?? "\u{FFFD}"
                    out.append(contentsOf: Array(String(Character(scalar)).utf8))
                default:
                    throw fail("invalid escape '\\\(Character(Unicode.Scalar(e)))' in a string")
                }
            case 0x0A, 0x0D:
                throw fail("unterminated string: a newline inside a JSON string must be written \\n")
            default:
                if c < 0x20 { throw fail("control character in a string; escape it") }
                out.append(c)
                index += 1
            }
        }
        throw fail("unterminated string; add the closing '\"'")
    }

    private mutating func hex4() throws(Failure) -> UInt32 {
        guard index + 4 <= bytes.count else { throw fail("incomplete \\u escape") }
        var v: UInt32 = 0
        for _ in 0..<4 {
            let c = bytes[index]
            let d: UInt32
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): d = UInt32(c - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): d = UInt32(c - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): d = UInt32(c - UInt8(ascii: "A") + 10)
            default: throw fail("invalid \\u escape; use four hex digits")
            }
            v = v * 16 + d
            index += 1
        }
        return v
    }
}

/// Parses `jobs.json` as Python's `json.load` (strict mode) reads it: RFC 8259 JSON plus
/// `NaN`, `Infinity` and `-Infinity`; a raw control character inside a string is an error
/// (the harness then retries leniently and rewrites the file — overlay reports it instead).
struct JobsJSONParser {
    /// Why the bytes are not a JSON document, and where.
    struct Failure: Error, Equatable {
        var reason: String
        var line: Int
        var column: Int
        /// True for a raw control character in a string (the harness's auto-repair case).
        var controlCharacter = false
    }

    static let maxDepth = 256

    /// The bytes, valid only during `parse` (no reference counting per byte).
    private let b: UnsafeBufferPointer<UInt8>
    private var i = 0

    private init(_ bytes: UnsafeBufferPointer<UInt8>) { b = bytes }

    /// The document in `bytes` (a UTF-8 byte-order mark is skipped, as `utf-8-sig` does).
    static func parse(_ bytes: [UInt8]) -> Result<JobsJSON, Failure> {
        bytes.withUnsafeBufferPointer { parse(buffer: $0) }
    }

    private static func parse(buffer: UnsafeBufferPointer<UInt8>) -> Result<JobsJSON, Failure> {
        var p = JobsJSONParser(buffer)
        if buffer.starts(with: [0xEF, 0xBB, 0xBF]) { p.i = 3 }
        do throws(Failure) {
            p.skipSpace()
            let value = try p.value(depth: 0)
            p.skipSpace()
            guard p.i == p.b.count else { throw p.fail("extra data after the JSON document") }
            return .success(value)
        } catch {
            return .failure(error)
        }
    }

    private func fail(_ reason: String, controlCharacter: Bool = false) -> Failure {
        var line = 1
        var column = 1
        for byte in b[..<min(i, b.count)] {
            if byte == 0x0A {
                line += 1
                column = 1
            } else if byte & 0xC0 != 0x80 {
                column += 1
            }
        }
        return Failure(reason: reason, line: line, column: column, controlCharacter: controlCharacter)
    }

    private mutating func skipSpace() {
        while i < b.count, b[i] == 0x20 || b[i] == 0x09 || b[i] == 0x0A || b[i] == 0x0D { i += 1 }
    }

    private mutating func value(depth: Int) throws(Failure) -> JobsJSON {
        guard depth < Self.maxDepth else { throw fail("nested more than \(Self.maxDepth) levels deep") }
        guard i < b.count else { throw fail("the document ends where a value should be") }
        switch b[i] {
        case UInt8(ascii: "{"): return try object(depth: depth)
        case UInt8(ascii: "["): return try array(depth: depth)
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): return try literal("true", .bool(true))
        case UInt8(ascii: "f"): return try literal("false", .bool(false))
        case UInt8(ascii: "n"): return try literal("null", .null)
        case UInt8(ascii: "N"): return try literal("NaN", .number("NaN"))
        case UInt8(ascii: "I"): return try literal("Infinity", .number("Infinity"))
        default:
            if b[i..<min(b.count, i + 9)].elementsEqual("-Infinity".utf8) {
                i += 9
                return .number("-Infinity")
            }
            return .number(try number())
        }
    }

    private mutating func literal(_ word: String, _ v: JobsJSON) throws(Failure) -> JobsJSON {
        guard b[i..<min(b.count, i + word.utf8.count)].elementsEqual(word.utf8) else { throw fail("expected a JSON value") }
        i += word.utf8.count
        return v
    }

    private mutating func object(depth: Int) throws(Failure) -> JobsJSON {
        i += 1
        var pairs: [(String, JobsJSON)] = []
        skipSpace()
        if i < b.count, b[i] == UInt8(ascii: "}") {
            i += 1
            return .object(pairs)
        }
        while true {
            skipSpace()
            guard i < b.count, b[i] == UInt8(ascii: "\"") else { throw fail("expected a quoted key") }
            let key = try string()
            skipSpace()
            guard i < b.count, b[i] == UInt8(ascii: ":") else { throw fail("expected ':' after a key") }
            i += 1
            skipSpace()
            pairs.append((key, try value(depth: depth + 1)))
            skipSpace()
            guard i < b.count else { throw fail("the document ends inside an object") }
            if b[i] == UInt8(ascii: ",") {
                i += 1
                continue
            }
            guard b[i] == UInt8(ascii: "}") else { throw fail("expected ',' or '}'") }
            i += 1
            return .object(pairs)
        }
    }

    private mutating func array(depth: Int) throws(Failure) -> JobsJSON {
        i += 1
        var items: [JobsJSON] = []
        skipSpace()
        if i < b.count, b[i] == UInt8(ascii: "]") {
            i += 1
            return .array(items)
        }
        while true {
            skipSpace()
            items.append(try value(depth: depth + 1))
            skipSpace()
            guard i < b.count else { throw fail("the document ends inside a list") }
            if b[i] == UInt8(ascii: ",") {
                i += 1
                continue
            }
            guard b[i] == UInt8(ascii: "]") else { throw fail("expected ',' or ']'") }
            i += 1
            return .array(items)
        }
    }

    private mutating func number() throws(Failure) -> String {
        let start = i
        if i < b.count, b[i] == UInt8(ascii: "-") { i += 1 }
        guard i < b.count, isDigit(b[i]) else { throw fail("expected a JSON value") }
        if b[i] == UInt8(ascii: "0") { i += 1 } else { while i < b.count, isDigit(b[i]) { i += 1 } }
        if i < b.count, b[i] == UInt8(ascii: ".") {
            i += 1
            guard i < b.count, isDigit(b[i]) else { throw fail("a digit must follow the decimal point") }
            while i < b.count, isDigit(b[i]) { i += 1 }
        }
        if i < b.count, b[i] == UInt8(ascii: "e") || b[i] == UInt8(ascii: "E") {
            i += 1
            if i < b.count, b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") { i += 1 }
            guard i < b.count, isDigit(b[i]) else { throw fail("a digit must follow the exponent") }
            while i < b.count, isDigit(b[i]) { i += 1 }
        }
        return String(decoding: b[start..<i], as: UTF8.self)
    }

    private func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }

    private mutating func string() throws(Failure) -> String {
        i += 1
        var bytes: [UInt8] = []
        while true {
            // A run of plain bytes is copied at once (prompts are long).
            let start = i
            while i < b.count, b[i] >= 0x20, b[i] != UInt8(ascii: "\""), b[i] != UInt8(ascii: "\\") { i += 1 }
            if i > start { bytes.append(contentsOf: b[start..<i]) }
            guard i < b.count else { throw fail("a string is not closed") }
            let c = b[i]
            if c == UInt8(ascii: "\"") {
                i += 1
                break
            }
            if c < 0x20 { throw fail("a raw control character (0x\(String(c, radix: 16))) inside a string", controlCharacter: true) }
            i += 1
            guard i < b.count else { throw fail("a string ends in a backslash") }
            let e = b[i]
            i += 1
            switch e {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): bytes.append(e)
            case UInt8(ascii: "b"): bytes.append(0x08)
            case UInt8(ascii: "f"): bytes.append(0x0C)
            case UInt8(ascii: "n"): bytes.append(0x0A)
            case UInt8(ascii: "r"): bytes.append(0x0D)
            case UInt8(ascii: "t"): bytes.append(0x09)
            case UInt8(ascii: "u"):
                var unit = try hex4()
                if (0xD800...0xDBFF).contains(unit) {
                    guard b[i..<min(b.count, i + 2)].elementsEqual("\\u".utf8) else {
                        throw fail("a lone UTF-16 surrogate (\\u\(String(unit, radix: 16)))")
                    }
                    i += 2
                    let low = try hex4()
                    guard (0xDC00...0xDFFF).contains(low) else { throw fail("a lone UTF-16 surrogate") }
                    unit = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00)
                } else if (0xDC00...0xDFFF).contains(unit) {
                    throw fail("a lone UTF-16 surrogate (\\u\(String(unit, radix: 16)))")
                }
                guard let scalar = Unicode.Scalar(unit) else { throw fail("an invalid \\u escape") }
                bytes += Array(String(scalar).utf8)
            default: throw fail("an invalid escape '\\\(Character(Unicode.Scalar(e)))'")
            }
        }
        guard let s = String(validating: bytes, as: UTF8.self) else { throw fail("a string is not valid UTF-8") }
        return s
    }

    private mutating func hex4() throws(Failure) -> UInt32 {
        guard i + 4 <= b.count, let v = UInt32(String(decoding: b[i..<(i + 4)], as: UTF8.self), radix: 16) else {
            throw fail("\\u needs four hex digits")
        }
        i += 4
        return v
    }
}

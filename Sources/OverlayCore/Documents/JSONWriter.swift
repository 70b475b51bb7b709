/// Serialises a `Value` as JSON text, keeping object key order.
///
/// Writes UTF-8 bytes into one growing buffer: inventories and reports can be
/// megabytes, and appending to a `String` piece by piece was a visible cost.
public enum JSONWriter {
    /// How to write: indented or compact, keys sorted or in order.
    struct Style {
        var pretty: Bool
        var sortKeys: Bool
        /// Infinite and NaN numbers as Python's json module writes them (`Infinity`, `NaN`:
        /// what ansible-inventory prints) instead of `null`.
        var pythonNonFinite = false
    }

    /// Compact or indented JSON for a value; `pythonNonFinite` writes infinite and NaN
    /// numbers as Python does (`Infinity`, `NaN`, not strictly JSON) instead of `null`.
    public static func string(
        _ value: Value, pretty: Bool = false, sortKeys: Bool = false, pythonNonFinite: Bool = false
    ) -> String {
        String(decoding: bytes(value, pretty: pretty, sortKeys: sortKeys, pythonNonFinite: pythonNonFinite), as: UTF8.self)
    }

    /// Compact or indented JSON for a value, as UTF-8 bytes (for output that is only written out).
    public static func bytes(
        _ value: Value, pretty: Bool = false, sortKeys: Bool = false, pythonNonFinite: Bool = false
    ) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(1024)
        write(value, into: &out, Style(pretty: pretty, sortKeys: sortKeys, pythonNonFinite: pythonNonFinite), indent: 0)
        return out
    }

    static func write(_ value: Value, into out: inout [UInt8], _ style: Style, indent: Int) {
        switch value {
        case .null: out += "null".utf8
        case .bool(let b): out += (b ? "true" : "false").utf8
        case .int(let i): writeInt(i, into: &out)
        case .bigInt(let digits): out += digits.utf8
        case .double(let d):
            if d.isFinite {
                out += PythonFloatText.repr(d).utf8
            } else if style.pythonNonFinite {
                out += (d.isNaN ? "NaN" : d < 0 ? "-Infinity" : "Infinity").utf8
            } else {
                out += "null".utf8
            }
        case .string(let s): escape(s, into: &out)
        case .array(let items):
            if items.isEmpty {
                out += "[]".utf8
                return
            }
            out.append(UInt8(ascii: "["))
            for (i, item) in items.enumerated() {
                writeMember(i, key: nil, item, into: &out, style, indent: indent)
            }
            if style.pretty { newline(&out, indent) }
            out.append(UInt8(ascii: "]"))
        case .object(let pairs):
            if pairs.isEmpty {
                out += "{}".utf8
                return
            }
            let order = style.sortKeys ? sortedOrder(pairs.count) { pairs[$0].0 } : nil
            out.append(UInt8(ascii: "{"))
            for i in pairs.indices {
                let pair = pairs[order?[i] ?? i]
                writeMember(i, key: pair.0, pair.1, into: &out, style, indent: indent)
            }
            if style.pretty { newline(&out, indent) }
            out.append(UInt8(ascii: "}"))
        }
    }

    /// One array item or object entry at `position`, with the separator before it.
    static func writeMember(
        _ position: Int, key: String?, _ value: Value, into out: inout [UInt8], _ style: Style, indent: Int
    ) {
        if position > 0 { out.append(UInt8(ascii: ",")) }
        if style.pretty { newline(&out, indent + 1) }
        if let key {
            escape(key, into: &out)
            out += (style.pretty ? ": " : ":").utf8
        }
        write(value, into: &out, style, indent: indent + 1)
    }

    /// The positions of `count` keys in sorted order (as a stable sort by `<` leaves them),
    /// or nil when they already are in order.
    static func sortedOrder(_ count: Int, key: (Int) -> String) -> [Int]? {
        var inOrder = true
        for i in stride(from: 1, to: count, by: 1) where key(i) < key(i - 1) {
            inOrder = false
            break
        }
        if inOrder { return nil }
        // Sorting positions moves integers instead of (key, value) pairs.
        return (0..<count).sorted { key($0) < key($1) }
    }

    /// A newline and the indentation of each level, built once.
    private static let newlines: [[UInt8]] = (0..<32).map { [0x0A] + Array(repeating: UInt8(ascii: " "), count: $0 * 4) }

    static func newline(_ out: inout [UInt8], _ indent: Int) {
        if indent < newlines.count {
            out += newlines[indent]
        } else {
            out.append(0x0A)
            out.append(contentsOf: repeatElement(UInt8(ascii: " "), count: indent * 4))
        }
    }

    /// Appends the decimal digits of `i` without building a String.
    private static func writeInt(_ i: Int, into out: inout [UInt8]) {
        if i < 0 { out.append(UInt8(ascii: "-")) }
        // The magnitude is unsigned, so Int.min works too; digits come out last first.
        var magnitude = i.magnitude
        let start = out.count
        repeat {
            out.append(UInt8(ascii: "0") + UInt8(magnitude % 10))
            magnitude /= 10
        } while magnitude > 0
        out[start...].reverse()
    }

    /// Appends `s` as a JSON string literal to a string.
    public static func escape(_ s: String, into out: inout String) {
        var bytes: [UInt8] = []
        escape(s, into: &bytes)
        out += String(decoding: bytes, as: UTF8.self)
    }

    /// Appends `s` as a JSON string literal to a byte buffer.
    static func escape(_ s: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        var s = s
        s.withUTF8 { bytes in
            var start = 0
            for (i, b) in bytes.enumerated() where b < 0x20 || b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") {
                out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<i]))
                start = i + 1
                switch b {
                case UInt8(ascii: "\""): out += "\\\"".utf8
                case UInt8(ascii: "\\"): out += "\\\\".utf8
                case 0x0A: out += "\\n".utf8
                case 0x0D: out += "\\r".utf8
                case 0x09: out += "\\t".utf8
                default:
                    let hex = String(b, radix: 16)
                    out += ("\\u" + String(repeating: "0", count: 4 - hex.count) + hex).utf8
                }
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start...]))
        }
        out.append(UInt8(ascii: "\""))
    }
}

import Foundation

/// A crontab's bytes as text, losslessly: bytes that are not UTF-8 survive a read and a write.
///
/// Cron reads bytes, and a user's own line may hold Latin-1 (`# café` saved by an old editor).
/// Refusing such a crontab would block every later install for every host sharing it, so
/// each byte that is not part of valid UTF-8 is carried as the private-use scalar
/// U+10FF00 + byte, and written back as that byte. A real character of that range is carried
/// byte by byte too, so decoding then encoding returns the same bytes whatever they were.
enum CrontabBytes {
    /// The first of the 256 scalars that stand for single bytes.
    static let escapeBase: UInt32 = 0x10FF00

    /// True for a scalar overlay uses to carry a byte (never written as itself).
    static func isEscape(_ scalar: Unicode.Scalar) -> Bool { scalar.value >= escapeBase }

    /// The bytes as text (valid UTF-8 as itself, every other byte escaped).
    static func decode(_ data: Data) -> String {
        let bytes = [UInt8](data)
        var scalars = String.UnicodeScalarView()
        var i = 0
        while i < bytes.count {
            if let (scalar, length) = scalar(in: bytes, at: i), !isEscape(scalar) {
                scalars.append(scalar)
                i += length
            } else {
                let length = scalar(in: bytes, at: i)?.length ?? 1
                for b in bytes[i..<(i + length)] { scalars.append(Unicode.Scalar(escapeBase + UInt32(b)) ?? "?") }
                i += length
            }
        }
        return String(scalars)
    }

    /// The text's bytes: escaped scalars become their byte again, the rest UTF-8.
    static func encode(_ text: String) -> Data {
        var out = Data()
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            if isEscape(scalar) {
                out.append(UInt8(truncatingIfNeeded: scalar.value - escapeBase))
            } else {
                out.append(contentsOf: Array(String(scalar).utf8))
            }
        }
        return out
    }

    /// The UTF-8 scalar starting at `i`, with its length; nil for a byte that starts none.
    static func scalar(in bytes: [UInt8], at i: Int) -> (scalar: Unicode.Scalar, length: Int)? {
        let lead = bytes[i]
        if lead < 0x80 { return (Unicode.Scalar(lead), 1) }
        let length: Int
        let minimum: UInt32
        var value: UInt32
        switch lead {
        case 0xC0...0xDF: (length, minimum, value) = (2, 0x80, UInt32(lead & 0x1F))
        case 0xE0...0xEF: (length, minimum, value) = (3, 0x800, UInt32(lead & 0x0F))
        case 0xF0...0xF7: (length, minimum, value) = (4, 0x10000, UInt32(lead & 0x07))
        default: return nil
        }
        guard i + length <= bytes.count else { return nil }
        for b in bytes[(i + 1)..<(i + length)] {
            guard b & 0xC0 == 0x80 else { return nil }
            value = value << 6 | UInt32(b & 0x3F)
        }
        // Overlong forms, surrogates and values past U+10FFFF are not UTF-8.
        guard value >= minimum, let scalar = Unicode.Scalar(value) else { return nil }
        return (scalar, length)
    }
}

/// A non-negative integer of any size, for YAML and JSON integers beyond 64 bits:
/// Python keeps them exact, so Ansible prints them exact, and so must overlay.
///
/// Only what reading a number needs (multiply by a small factor, add) and bounded
/// like Python's own int/str conversion (4,300 decimal digits), so a 100 MB scalar
/// of digits costs nothing.
struct LargeInteger: Sendable {
    /// Base-10⁹ limbs, least significant first.
    private var limbs: [UInt32]
    private static let base: UInt64 = 1_000_000_000
    /// Python refuses int/str conversions of more decimal digits than this (sys.int_info.default_max_str_digits).
    static let maxDecimalDigits = 4300

    static let zero = LargeInteger(limbs: [0])

    private init(limbs: [UInt32]) { self.limbs = limbs }

    /// Reads `digits` in `radix` (2, 8, 10 or 16); nil for an empty text, another
    /// character, or a number past Python's digit limit.
    init?<S: StringProtocol>(_ digits: S, radix: UInt32) {
        // More input digits than could stay under the limit in any of the four bases.
        guard !digits.isEmpty, digits.utf8.count <= LargeInteger.maxDecimalDigits * 4 else { return nil }
        var value = LargeInteger.zero
        for byte in digits.utf8 {
            let d: UInt32
            switch byte {
            case 0x30...0x39: d = UInt32(byte - 0x30)
            case 0x61...0x66: d = UInt32(byte - 0x61 + 10)
            case 0x41...0x46: d = UInt32(byte - 0x41 + 10)
            default: return nil
            }
            guard d < radix else { return nil }
            value = value.times(radix).plus(LargeInteger(limbs: [d]))
        }
        guard value.limbs.count * 9 <= LargeInteger.maxDecimalDigits + 9, value.decimal.count <= LargeInteger.maxDecimalDigits
        else { return nil }
        self = value
    }

    /// `self × factor` for a small factor.
    func times(_ factor: UInt32) -> LargeInteger {
        var out: [UInt32] = []
        out.reserveCapacity(limbs.count + 1)
        var carry: UInt64 = 0
        for limb in limbs {
            let product = UInt64(limb) * UInt64(factor) + carry
            out.append(UInt32(product % LargeInteger.base))
            carry = product / LargeInteger.base
        }
        while carry > 0 {
            out.append(UInt32(carry % LargeInteger.base))
            carry /= LargeInteger.base
        }
        return LargeInteger(limbs: out).trimmed
    }

    /// `self + other`.
    func plus(_ other: LargeInteger) -> LargeInteger {
        var out: [UInt32] = []
        var carry: UInt64 = 0
        for i in 0..<max(limbs.count, other.limbs.count) {
            let sum = UInt64(i < limbs.count ? limbs[i] : 0) + UInt64(i < other.limbs.count ? other.limbs[i] : 0) + carry
            out.append(UInt32(sum % LargeInteger.base))
            carry = sum / LargeInteger.base
        }
        if carry > 0 { out.append(UInt32(carry)) }
        return LargeInteger(limbs: out).trimmed
    }

    private var trimmed: LargeInteger {
        var l = limbs
        while l.count > 1, l.last == 0 { l.removeLast() }
        return LargeInteger(limbs: l)
    }

    /// The decimal digits, without leading zeros.
    var decimal: String {
        var text = String(limbs.last ?? 0)
        for limb in limbs.dropLast().reversed() {
            let part = String(limb)
            text += String(repeating: "0", count: 9 - part.count) + part
        }
        return text
    }

    /// The signed value: `.int` when it fits in Int, else `.bigInt` with its digits (nil past the digit limit).
    func value(negative: Bool) -> Value? {
        let digits = decimal
        guard digits.count <= LargeInteger.maxDecimalDigits else { return nil }
        if let small = Int((negative ? "-" : "") + digits) { return .int(small) }
        return .bigInt((negative && digits != "0" ? "-" : "") + digits)
    }
}

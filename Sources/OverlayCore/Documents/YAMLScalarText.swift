import Foundation

/// YAML scalars written by overlay: the managed scope's config, imported agent jobs.
public enum YAMLScalarText {
    /// `s` as a double-quoted YAML scalar that PyYAML reads back exactly: every character
    /// YAML 1.1 does not print as itself (controls, U+0085, U+2028/9, U+FEFF, U+FFFE/F) escaped.
    public static func doubleQuoted(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            default:
                let v = u.value
                // YAML 1.1's printable set, less its line breaks (U+2028, U+2029 would be folded).
                let printable =
                    (0x20...0x7E).contains(v) || (0xA0...0xD7FF).contains(v) && v != 0x2028 && v != 0x2029
                    || (0xE000...0xFFFD).contains(v) && v != 0xFEFF || v >= 0x10000
                if printable {
                    out.unicodeScalars.append(u)
                } else if v <= 0xFFFF {
                    out += String(format: "\\u%04X", v)
                } else {
                    out += String(format: "\\U%08X", v)
                }
            }
        }
        return out + "\""
    }
}

import Crypto
import Foundation

/// SHA-256 of file contents, as lowercase hex (what generation records store).
public enum ContentHash {
    /// The hex SHA-256 of `data`.
    public static func sha256(_ data: Data) -> String {
        let digest = SHA256.hash(data: data)
        var out = ""
        out.reserveCapacity(64)
        for byte in digest {
            out += String(byte >> 4, radix: 16)
            out += String(byte & 0x0f, radix: 16)
        }
        return out
    }
}

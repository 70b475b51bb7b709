import Crypto
import Foundation

/// The webhook secrets of the secret file: one a line, blank lines ignored, surrounding
/// spaces and a trailing CR trimmed. Several lines let a secret be rotated: the sender
/// may sign with the old or the new one while both are listed.
struct SecretSet: Sendable {
    /// HMAC keys, one per secret, in file order.
    let keys: [SymmetricKey]
    /// SHA-256 of each secret, for the senders that send the secret itself (GitLab).
    let tokenDigests: [[UInt8]]

    init(secrets: [String]) {
        keys = secrets.map { SymmetricKey(data: Data($0.utf8)) }
        tokenDigests = secrets.map { Array(SHA256.hash(data: Data($0.utf8))) }
    }

    /// Reads and parses the secret file.
    static func load(from path: String) throws(ServeError) -> SecretSet {
        let bytes = try readSmallFile(path)
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw .secretFileUnreadable(path: path, reason: "it is not UTF-8 text")
        }
        let secrets = text.split(whereSeparator: { $0 == "\n" || $0 == "\r\n" })
            .map { $0.trimmingCharacters(in: .whitespaces.union(.init(charactersIn: "\r"))) }
            .filter { !$0.isEmpty }
        guard !secrets.isEmpty else { throw .secretFileEmpty(path: path) }
        return SecretSet(secrets: secrets)
    }

    /// The bytes of a regular file of at most 64 KiB (a secret file is a few lines).
    private static func readSmallFile(_ path: String) throws(ServeError) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw .secretFileUnreadable(path: path, reason: String(cString: strerror(errno))) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else {
            throw .secretFileUnreadable(path: path, reason: "it is not a regular file")
        }
        let limit = 64 << 10
        var bytes = [UInt8](repeating: 0, count: limit + 1)
        var count = 0
        while count <= limit {
            let n = bytes.withUnsafeMutableBytes { buffer -> Int in
                guard let base = buffer.baseAddress else { return 0 }
                return read(fd, base + count, limit + 1 - count)
            }
            if n < 0, errno == EINTR { continue }
            guard n >= 0 else { throw .secretFileUnreadable(path: path, reason: String(cString: strerror(errno))) }
            if n == 0 { break }
            count += n
        }
        guard count <= limit else { throw .secretFileUnreadable(path: path, reason: "it is larger than 64 KiB") }
        return Array(bytes[..<count])
    }

    /// Whether `credential` proves the sender knows one of the secrets for `body`.
    ///
    /// Every secret is tried (no early exit) and each comparison takes the same time
    /// whatever the bytes, so timing tells nothing about a secret.
    func authenticates(_ credential: DeliveryCredential, body: [UInt8]) -> Bool {
        var matched = false
        switch credential {
        case .hmacSHA256(let claimed):
            for key in keys {
                let code = HMAC<SHA256>.authenticationCode(for: body, using: key)
                matched = Self.constantTimeEqual(Array(code), claimed) || matched
            }
        case .token(let token):
            let digest = Array(SHA256.hash(data: Data(token.utf8)))
            for expected in tokenDigests {
                matched = Self.constantTimeEqual(digest, expected) || matched
            }
        }
        return matched
    }

    /// Equal bytes, compared in time that depends only on the length.
    static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for i in 0..<a.count { difference |= a[i] ^ b[i] }
        return difference == 0
    }
}

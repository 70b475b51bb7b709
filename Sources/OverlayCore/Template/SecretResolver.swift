import Foundation

/// Resolves `${secret:NAME}` references at apply time.
///
/// A secret comes from `$OVERLAY_SECRETS_DIR/NAME` (default
/// `~/.config/overlay/secrets/NAME`) or the environment variable
/// `OVERLAY_SECRET_NAME`. Plain `${VAR}` references are the harness's and stay as written.
public struct SecretResolver: Sendable {
    /// Folder holding one file per secret.
    public var directory: String
    /// The process environment (for `OVERLAY_SECRET_<NAME>`).
    public var environment: [String: String]

    /// Creates a resolver.
    public init(directory: String, environment: [String: String]) {
        self.directory = directory
        self.environment = environment
    }

    /// One `${secret:NAME}` occurrence.
    public struct Reference: Sendable, Equatable {
        public var name: String
        /// Character offset of `$` in the text.
        public var offset: Int
    }

    /// The secret references in `text`.
    public static func references(in text: String) -> [Reference] {
        var out: [Reference] = []
        var search = text.startIndex..<text.endIndex
        while let r = text.range(of: "${secret:", range: search) {
            guard let close = text[r.upperBound...].firstIndex(of: "}") else { break }
            let name = String(text[r.upperBound..<close])
            out.append(Reference(name: name, offset: text.distance(from: text.startIndex, to: r.lowerBound)))
            search = close..<text.endIndex
        }
        return out
    }

    /// True when a secret name is well formed (letters, digits, `_`, `-`, `.`).
    public static func isValidName(_ name: String) -> Bool {
        !name.isEmpty && !name.hasPrefix(".")
            && name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" || $0 == ".") }
    }

    /// What looking a secret up found.
    public enum Lookup: Sendable, Equatable {
        /// The secret's value (trailing line breaks removed).
        case value(String)
        /// Neither the environment variable nor the file exists.
        case missing
        /// Something is at the file's path but it cannot be a secret: `reason` says what
        /// ("is a folder", "is a FIFO", "permission denied", …).
        case unreadable(String)
    }

    /// Secret files larger than this are refused (a secret is a key or a URL, not data).
    public static let maxSecretSize = 1 << 20

    /// The value of one secret, or nil when it cannot be had.
    public func value(of name: String) -> String? {
        if case .value(let v) = lookup(name) { return v }
        return nil
    }

    /// Looks one secret up: `OVERLAY_SECRET_NAME`, else the file `NAME` in `directory`.
    ///
    /// The file must be a regular file (a symlink to one is fine). A folder, a FIFO or a device
    /// is refused for what it is, without being opened for long: the open is non-blocking, so a
    /// FIFO swapped in after the check cannot hang apply.
    public func lookup(_ name: String) -> Lookup {
        let envName = "OVERLAY_SECRET_" + name.uppercased().map { $0.isLetter || $0.isNumber ? String($0) : "_" }.joined()
        if let v = environment[envName] { return .value(v) }
        let path = (directory as NSString).appendingPathComponent(name)
        var st = stat()
        guard stat(path, &st) == 0 else {
            if errno == ENOENT || errno == ENOTDIR { return .missing }
            return .unreadable(ErrnoText.describe(errno).lowercased())
        }
        if let kind = Self.notAFile(st.st_mode) { return .unreadable("is \(kind), not a file") }
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { return .unreadable(ErrnoText.describe(errno).lowercased()) }
        defer { close(fd) }
        guard fstat(fd, &st) == 0 else { return .unreadable(ErrnoText.describe(errno).lowercased()) }
        if let kind = Self.notAFile(st.st_mode) { return .unreadable("is \(kind), not a file") }
        if Int(st.st_size) > Self.maxSecretSize {
            return .unreadable("is \(st.st_size) bytes, over the \(Self.maxSecretSize) byte limit for a secret")
        }
        var data = [UInt8](repeating: 0, count: Int(st.st_size) + 1)
        var count = 0
        while count < data.count {
            let n = data.withUnsafeMutableBytes { buffer -> Int in
                guard let base = buffer.baseAddress else { return 0 }
                return read(fd, base + count, buffer.count - count)
            }
            if n < 0 && errno == EINTR { continue }
            if n < 0 { return .unreadable(ErrnoText.describe(errno).lowercased()) }
            if n == 0 { break }
            count += n
        }
        // One byte more than its size was asked for: getting it means the file changed under us.
        if count == data.count { return .unreadable("changed size while being read; try again once it is written") }
        var s = String(decoding: data[..<count], as: UTF8.self)
        while s.hasSuffix("\n") || s.hasSuffix("\r") { s.removeLast() }
        return .value(s)
    }

    /// What a file type is, when it is not a regular file.
    static func notAFile(_ mode: mode_t) -> String? {
        switch mode & S_IFMT {
        case S_IFREG: return nil
        case S_IFDIR: return "a folder"
        case S_IFIFO: return "a FIFO (named pipe)"
        case S_IFSOCK: return "a socket"
        case S_IFCHR, S_IFBLK: return "a device"
        default: return "not a regular file"
        }
    }

    /// Replaces every `${secret:NAME}`; returns the text, the names used, the names that were
    /// missing and those found unreadable (with why).
    public func resolve(_ text: String) -> (text: String, used: [String], missing: [String], unreadable: [(name: String, reason: String)]) {
        var out = ""
        var used: [String] = []
        var missing: [String] = []
        var unreadable: [(name: String, reason: String)] = []
        var rest = text[...]
        while let r = rest.range(of: "${secret:") {
            guard let close = rest[r.upperBound...].firstIndex(of: "}") else { break }
            out += rest[..<r.lowerBound]
            let name = String(rest[r.upperBound..<close])
            switch SecretResolver.isValidName(name) ? lookup(name) : .missing {
            case .value(let v):
                out += v
                used.append(name)
            case .missing:
                missing.append(name)
                out += rest[r.lowerBound...close]
            case .unreadable(let reason):
                if !unreadable.contains(where: { $0.name == name }) { unreadable.append((name, reason)) }
                out += rest[r.lowerBound...close]
            }
            rest = rest[rest.index(after: close)...]
        }
        out += rest
        return (out, used, missing, unreadable)
    }
}

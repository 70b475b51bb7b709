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

    /// The value of one secret, or nil when neither source has it.
    public func value(of name: String) -> String? {
        let envName = "OVERLAY_SECRET_" + name.uppercased().map { $0.isLetter || $0.isNumber ? String($0) : "_" }.joined()
        if let v = environment[envName] { return v }
        let path = (directory as NSString).appendingPathComponent(name)
        // Only a regular file: reading a FIFO would wait forever for a writer.
        var st = stat()
        guard stat(path, &st) == 0, st.st_mode & S_IFMT == S_IFREG, let data = FileManager.default.contents(atPath: path)
        else { return nil }
        var s = String(decoding: data, as: UTF8.self)
        while s.hasSuffix("\n") || s.hasSuffix("\r") { s.removeLast() }
        return s
    }

    /// Why the secret file of `name` is there but cannot be used (nil: absent, or readable):
    /// so that an unreadable file is not reported as missing.
    public func unreadable(_ name: String) -> String? {
        let path = (directory as NSString).appendingPathComponent(name)
        var st = stat()
        if stat(path, &st) != 0 {
            return errno == EACCES ? "\(path) cannot be reached (permission denied on a folder above it)" : nil
        }
        switch st.st_mode & S_IFMT {
        case S_IFREG: break
        case S_IFDIR: return "\(path) is a folder; the secret must be a file holding the value"
        default: return "\(path) is not a regular file (a FIFO, socket or device); the secret must be a file holding the value"
        }
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        if fd < 0 {
            let why = errno == EACCES || errno == EPERM ? "permission denied" : "error \(errno)"
            return "\(path) cannot be read (\(why)); make it readable by the user running overlay (e.g. chmod 600, owned by that user)"
        }
        close(fd)
        return nil
    }

    /// Replaces every `${secret:NAME}`; returns the text and the names that were missing.
    public func resolve(_ text: String) -> (text: String, used: [String], missing: [String]) {
        var out = ""
        var used: [String] = []
        var missing: [String] = []
        var rest = text[...]
        while let r = rest.range(of: "${secret:") {
            guard let close = rest[r.upperBound...].firstIndex(of: "}") else { break }
            out += rest[..<r.lowerBound]
            let name = String(rest[r.upperBound..<close])
            if SecretResolver.isValidName(name), let v = value(of: name) {
                out += v
                used.append(name)
            } else {
                missing.append(name)
                out += rest[r.lowerBound...close]
            }
            rest = rest[rest.index(after: close)...]
        }
        out += rest
        return (out, used, missing)
    }
}

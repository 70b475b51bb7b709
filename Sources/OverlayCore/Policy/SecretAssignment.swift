/// Whether a run of text is the value of a key-like assignment on its line:
/// `OPENAI_API_KEY=…`, `export X_TOKEN="…"`, `password: …`, `"api_key": "…"`,
/// `Authorization: Bearer …`.
///
/// The text scan reports a generic token (no vendor prefix) only there: elsewhere in
/// prose and scripts long mixed runs are commits, digests, ids and base64 data.
enum SecretAssignment {
    /// How far back on the line the key is looked for, so a hostile line costs a bounded
    /// look per run.
    static let lookback = 128

    /// Names ending like these hold credentials (`GITEA_TOKEN`, `db_password`).
    static let secretSuffixes = ["token", "secret", "password", "passwd", "credential", "credentials"]
    /// Names ending in `key` do when the word is a part of the name (`OPENAI_API_KEY`,
    /// `--api-key`, `apiKey`, `accesskey`): a bare `key:` is prose or a generic mapping.
    static let keyWords = ["_key", "-key", ".key", "apikey", "accesskey", "secretkey", "privatekey"]

    /// True when the run starting at byte `start` is assigned to a key-like name, or
    /// follows `Bearer`.
    static func isValue(_ bytes: UnsafeBufferPointer<UInt8>, at start: Int) -> Bool {
        let floor = max(0, start - lookback)
        func at(_ k: Int) -> UInt8? { k >= floor && bytes[k] != 0x0A ? bytes[k] : nil }
        var j = start - 1
        if let b = at(j), isQuote(b) { j -= 1 }
        let beforeBlanks = j
        while let b = at(j), isBlank(b) { j -= 1 }
        guard let separator = at(j) else { return false }
        if separator == UInt8(ascii: "=") || separator == UInt8(ascii: ":") {
            j -= 1
            while let b = at(j), isBlank(b) { j -= 1 }
            if let b = at(j), isQuote(b) { j -= 1 }
            let end = j + 1
            while let b = at(j), isNameByte(b) { j -= 1 }
            return isKeyName(String(decoding: UnsafeBufferPointer(rebasing: bytes[(j + 1)..<end]), as: UTF8.self))
        }
        // `Bearer <token>`: the scheme word, then at least one blank.
        guard j < beforeBlanks else { return false }
        let end = j + 1
        while let b = at(j), SecretShape.isAlphanumeric(b) { j -= 1 }
        return String(decoding: UnsafeBufferPointer(rebasing: bytes[(j + 1)..<end]), as: UTF8.self).lowercased() == "bearer"
    }

    /// `OPENAI_API_KEY`, `--api-key`, `apiKey`, `password`; not `key`, `monkey` or `ssh_public_key`.
    static func isKeyName(_ name: String) -> Bool {
        let k = name.lowercased()
        guard !k.contains("public") else { return false }
        let camelKey = name.hasSuffix("Key") && name.count > 3
        return camelKey || secretSuffixes.contains(where: k.hasSuffix) || keyWords.contains(where: k.hasSuffix)
    }

    @inline(__always) static func isQuote(_ b: UInt8) -> Bool { b == UInt8(ascii: "\"") || b == UInt8(ascii: "'") }
    @inline(__always) static func isBlank(_ b: UInt8) -> Bool { b == UInt8(ascii: " ") || b == UInt8(ascii: "\t") }
    @inline(__always) static func isNameByte(_ b: UInt8) -> Bool {
        SecretShape.isAlphanumeric(b) || b == UInt8(ascii: "_") || b == UInt8(ascii: "-") || b == UInt8(ascii: ".")
    }
}

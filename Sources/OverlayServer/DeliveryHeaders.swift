import HTTPTypes

/// What a delivery claims to prove that it knows a secret.
enum DeliveryCredential: Sendable {
    /// An HMAC-SHA256 of the raw body (32 bytes, decoded from hex).
    case hmacSHA256([UInt8])
    /// The secret itself (GitLab).
    case token(String)
}

/// The headers of a delivery that matter before its body is read: who signed it, the
/// signature, the delivery id and the event. Reading them never looks at the body.
struct DeliveryHeaders: Sendable {
    let kind: SenderKind
    let credential: DeliveryCredential
    /// The delivery id as sent (unchecked until the signature is), nil when the sender sent
    /// none (then a replay cannot be detected).
    let deliveryID: String?
    /// The event name, nil when the sender sent none.
    let event: String?
    /// GitLab's `Idempotency-Key`, the same on every retry of one event (its event UUID
    /// may not be): remembered beside the delivery id so a retry is a duplicate too.
    let retryKey: String?

    /// The headers of `fields`, or why the delivery is refused before its body is read.
    static func read(_ fields: HTTPFields) -> Result<DeliveryHeaders, DeliveryVerdict> {
        var values: [String: [String]] = [:]
        for field in fields where field.name.canonicalName.hasPrefix("x-") || field.name.canonicalName == "idempotency-key" {
            values[field.name.canonicalName, default: []].append(field.value)
        }
        guard let kind = SenderKind.allCases.first(where: { values[$0.signatureHeader] != nil }),
            let given = values[kind.signatureHeader]
        else {
            return .failure(.unauthorized("missing signature"))
        }
        guard given.count == 1, let credential = parseCredential(given[0], kind: kind) else {
            return .failure(.unauthorized("malformed signature"))
        }
        let deliveryID = kind.deliveryHeaders.lazy.compactMap { values[$0]?.first }.first
        let event = kind.eventHeaders.lazy.compactMap { values[$0]?.first }.first
        let retryKey = kind == .gitlab ? values["idempotency-key"]?.first : nil
        return .success(
            DeliveryHeaders(kind: kind, credential: credential, deliveryID: deliveryID, event: event, retryKey: retryKey))
    }

    /// `sha256=<64 hex>` (GitHub, generic), bare 64 hex (Gitea, Forgejo) or a token (GitLab).
    private static func parseCredential(_ value: String, kind: SenderKind) -> DeliveryCredential? {
        if kind == .gitlab {
            return value.isEmpty || value.utf8.count > 1024 ? nil : .token(value)
        }
        var hex = Substring(value)
        if kind.hasAlgorithmPrefix {
            guard hex.hasPrefix("sha256=") else { return nil }
            hex = hex.dropFirst("sha256=".count)
        }
        return decodeHex(hex).map { .hmacSHA256($0) }
    }

    /// 32 bytes from exactly 64 hex digits, or nil.
    static func decodeHex(_ text: Substring) -> [UInt8]? {
        let digits = Array(text.utf8)
        guard digits.count == 64 else { return nil }
        var bytes = [UInt8]()
        bytes.reserveCapacity(32)
        for i in stride(from: 0, to: 64, by: 2) {
            guard let high = hexValue(digits[i]), let low = hexValue(digits[i + 1]) else { return nil }
            bytes.append(high << 4 | low)
        }
        return bytes
    }

    private static func hexValue(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return c - UInt8(ascii: "A") + 10
        default: return nil
        }
    }

    /// A delivery id short and plain enough to log, persist one a line and echo in JSON.
    static func isUsableID(_ id: String) -> Bool {
        !id.isEmpty && id.utf8.count <= 128 && id.utf8.allSatisfy { $0 > 0x20 && $0 < 0x7F }
    }

    /// The ledger keys of this delivery: its id, and GitLab's retry key, each prefixed with
    /// the sender kind (the same id from two kinds of sender is two deliveries).
    var ledgerKeys: [String] {
        [deliveryID.map { kind.rawValue + ":" + $0 }, retryKey.map { kind.rawValue + "-retry:" + $0 }].compactMap { $0 }
    }
}

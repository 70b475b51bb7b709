import Foundation

/// The one thing read from a push payload: which ref was pushed. Nothing else is
/// trusted: the run fetches the repo and decides from what it fetched.
struct PushPayload: Sendable, Equatable {
    /// The pushed ref, e.g. `refs/heads/main`.
    let ref: String

    /// Reads a JSON payload, or GitHub's form encoding (`payload=<url-encoded JSON>`).
    /// Throws a ``DeliveryVerdict/malformed(_:)`` verdict that says what is wrong.
    static func parse(_ body: [UInt8], contentType: String?) throws(DeliveryVerdict) -> PushPayload {
        var json = Data(body)
        // GitHub's "application/x-www-form-urlencoded" content type; curl -d also sends
        // that type with a raw JSON body, which is read as JSON.
        if let contentType, contentType.lowercased().hasPrefix("application/x-www-form-urlencoded"),
            body.first != UInt8(ascii: "{")
        {
            json = try formPayload(body)
        }
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: json, options: [])
        } catch {
            throw .malformed("the payload is not JSON")
        }
        guard let fields = object as? [String: Any] else { throw .malformed("the payload is not a JSON object") }
        guard let ref = fields["ref"] as? String, !ref.isEmpty else {
            throw .malformed("the payload has no \"ref\" string")
        }
        return PushPayload(ref: ref)
    }

    /// The JSON in a form-encoded body's `payload` field.
    private static func formPayload(_ body: [UInt8]) throws(DeliveryVerdict) -> Data {
        guard let text = String(validating: body, as: UTF8.self) else {
            throw .malformed("the form-encoded payload is not UTF-8")
        }
        for pair in text.split(separator: "&") where pair.hasPrefix("payload=") {
            let encoded = pair.dropFirst("payload=".count).replacingOccurrences(of: "+", with: " ")
            guard let decoded = encoded.removingPercentEncoding else {
                throw .malformed("the form-encoded payload has a bad %-escape")
            }
            return Data(decoded.utf8)
        }
        throw .malformed("the form-encoded body has no payload field")
    }
}

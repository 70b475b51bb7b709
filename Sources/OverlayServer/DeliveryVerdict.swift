import HTTPTypes

/// What the receiver made of one request to `POST /hooks/push`: its HTTP status, its
/// metrics label and the reason it gives (in the response, the log and `/status`).
public enum DeliveryVerdict: Error, Sendable, Equatable {
    /// Signed, a push to the followed ref, not seen before: a run is queued.
    case accepted
    /// Signed but nothing to do (ping, another event, another ref).
    case ignored(String)
    /// Signed, but this delivery id was handled before.
    case duplicate
    /// No, a malformed or a wrong signature.
    case unauthorized(String)
    /// The body is over the limit.
    case tooLarge(limit: Int)
    /// Signed but the payload (or the delivery id) cannot be read.
    case malformed(String)
    /// The client went away or was too slow before the body was in.
    case aborted(String)

    /// Every metrics label, so that `/metrics` shows each series from the start.
    static let labels = ["accepted", "ignored", "duplicate", "unauthorized", "too_large", "malformed", "aborted"]

    /// The label in `overlay_webhook_deliveries_total{result=…}` and `/status`.
    public var label: String {
        switch self {
        case .accepted: return "accepted"
        case .ignored: return "ignored"
        case .duplicate: return "duplicate"
        case .unauthorized: return "unauthorized"
        case .tooLarge: return "too_large"
        case .malformed: return "malformed"
        case .aborted: return "aborted"
        }
    }

    /// Why, in words; nil for an accepted delivery.
    public var reason: String? {
        switch self {
        case .accepted: return nil
        case .ignored(let why), .unauthorized(let why), .malformed(let why), .aborted(let why): return why
        case .duplicate: return "duplicate delivery"
        case .tooLarge(let limit): return "body larger than \(limit) bytes"
        }
    }

    /// The response status.
    var status: HTTPResponse.Status {
        switch self {
        case .accepted, .ignored, .duplicate: return .accepted
        case .unauthorized: return .unauthorized
        case .tooLarge: return .contentTooLarge
        case .malformed, .aborted: return .badRequest
        }
    }

    /// The small JSON body of the response.
    var responseBody: String {
        let status: String
        switch self {
        case .accepted: status = "accepted"
        case .ignored, .duplicate: status = "ignored"
        default: status = "rejected"
        }
        guard let reason else { return "{\"status\":\"accepted\"}\n" }
        return "{\"status\":\"\(status)\",\"reason\":\(JSONText.quoted(reason))}\n"
    }
}

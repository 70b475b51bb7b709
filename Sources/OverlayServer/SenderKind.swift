/// Which kind of sender signed a delivery, told by the signature header it carries.
///
/// Forgejo also sends Gitea's headers and Gitea also sends GitHub's, so the most specific
/// header wins: Forgejo, then Gitea, then GitHub, then GitLab, then generic.
public enum SenderKind: String, Sendable, Codable, CaseIterable {
    /// `X-Forgejo-Signature`: bare hex HMAC-SHA256 of the body.
    case forgejo
    /// `X-Gitea-Signature`: bare hex HMAC-SHA256 of the body.
    case gitea
    /// `X-Hub-Signature-256: sha256=<hex>`.
    case github
    /// `X-Gitlab-Token`: the secret itself.
    case gitlab
    /// `X-Overlay-Signature: sha256=<hex>`, for scripts and other senders.
    case generic

    /// The header that carries the signature (or GitLab's token), lowercased.
    var signatureHeader: String {
        switch self {
        case .forgejo: return "x-forgejo-signature"
        case .gitea: return "x-gitea-signature"
        case .github: return "x-hub-signature-256"
        case .gitlab: return "x-gitlab-token"
        case .generic: return "x-overlay-signature"
        }
    }

    /// Headers that carry the delivery id, the first present wins.
    var deliveryHeaders: [String] {
        switch self {
        case .forgejo: return ["x-forgejo-delivery", "x-gitea-delivery", "x-github-delivery"]
        case .gitea: return ["x-gitea-delivery", "x-github-delivery"]
        case .github: return ["x-github-delivery"]
        case .gitlab: return ["x-gitlab-event-uuid"]
        case .generic: return ["x-overlay-delivery"]
        }
    }

    /// Headers that carry the event name, the first present wins.
    var eventHeaders: [String] {
        switch self {
        case .forgejo: return ["x-forgejo-event", "x-gitea-event"]
        case .gitea: return ["x-gitea-event", "x-github-event"]
        case .github: return ["x-github-event"]
        case .gitlab: return ["x-gitlab-event"]
        case .generic: return ["x-overlay-event"]
        }
    }

    /// The event name of a push for this sender.
    var pushEvent: String { self == .gitlab ? "Push Hook" : "push" }

    /// Whether a signature header of this kind is prefixed with `sha256=`.
    var hasAlgorithmPrefix: Bool { self == .github || self == .generic }
}

import Crypto
import Foundation
import OverlayServer

/// Headers a real sender of `kind` would send for `body`, signed with `secret`.
func signedHeaders(
    _ kind: SenderKind, secret: String, body: [UInt8], delivery: String = UUID().uuidString, event: String? = nil
) -> [(String, String)] {
    let hex = hmacHex(secret: secret, body: body)
    switch kind {
    case .github:
        return [
            ("X-Hub-Signature-256", "sha256=" + hex), ("X-GitHub-Delivery", delivery), ("X-GitHub-Event", event ?? "push"),
            ("Content-Type", "application/json"),
        ]
    case .gitea:
        // Gitea also sends GitHub's headers.
        return [
            ("X-Gitea-Signature", hex), ("X-Gitea-Delivery", delivery), ("X-Gitea-Event", event ?? "push"),
            ("X-Hub-Signature-256", "sha256=" + hex), ("X-GitHub-Delivery", delivery), ("X-GitHub-Event", event ?? "push"),
        ]
    case .forgejo:
        // Forgejo sends Gitea's headers besides its own.
        return [
            ("X-Forgejo-Signature", hex), ("X-Forgejo-Delivery", delivery), ("X-Forgejo-Event", event ?? "push"),
            ("X-Gitea-Signature", hex), ("X-Gitea-Delivery", delivery), ("X-Gitea-Event", event ?? "push"),
        ]
    case .gitlab:
        return [("X-Gitlab-Token", secret), ("X-Gitlab-Event-UUID", delivery), ("X-Gitlab-Event", event ?? "Push Hook")]
    case .generic:
        var headers = [("X-Overlay-Signature", "sha256=" + hex), ("X-Overlay-Delivery", delivery)]
        if let event { headers.append(("X-Overlay-Event", event)) }
        return headers
    }
}

/// Lowercase hex HMAC-SHA256 of `body` under `secret`.
func hmacHex(secret: String, body: [UInt8]) -> String {
    let code = HMAC<SHA256>.authenticationCode(for: body, using: SymmetricKey(data: Data(secret.utf8)))
    return code.map { String(format: "%02x", $0) }.joined()
}

/// A push payload for `ref`, shaped like the senders' (only `ref` is read).
func pushBody(ref: String = "refs/heads/main", after: String = "0123456789abcdef0123456789abcdef01234567") -> [UInt8] {
    Array(#"{"ref":"\#(ref)","before":"0000000000000000000000000000000000000000","after":"\#(after)","commits":[]}"#.utf8)
}

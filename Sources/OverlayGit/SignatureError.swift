import Foundation

/// Why a commit's signature was refused. Every case names the commit and what to do.
public enum SignatureError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The commit carries no signature.
    case unsigned(commit: String)
    /// The commit is signed, but not with SSH (OpenPGP or X.509 signatures are not checked).
    case unsupportedFormat(commit: String, format: String)
    /// The signature is valid but its key is not in the allowed-signers file (or not for
    /// the `git` namespace, or not at the commit's time). `key` is its fingerprint when known.
    case unknownSigner(commit: String, key: String?, allowedSigners: String)
    /// The signature is sound and its key is in the file, but the file does not allow it for
    /// this use (another namespace, other options).
    case signerNotAllowed(commit: String, principal: String, reason: String)
    /// The signature does not verify: the commit was changed after signing, or it is corrupt.
    case badSignature(commit: String, reason: String)
    /// The allowed-signers file cannot be read.
    case allowedSignersUnreadable(path: String, reason: String)
    /// `ssh-keygen` could not be run (missing, timed out).
    case verifierFailed(commit: String, reason: String)

    public var description: String {
        switch self {
        case .unsigned(let commit):
            return
                "commit \(Self.short(commit)) is not signed; sign it (git -c gpg.format=ssh commit -S) with a key in the allowed-signers file"
        case .unsupportedFormat(let commit, let format):
            return "commit \(Self.short(commit)) has an \(format) signature; overlay checks SSH signatures only (git config gpg.format ssh)"
        case .unknownSigner(let commit, let key, let file):
            let who = key.map { "its key (\($0))" } ?? "its key"
            return
                "commit \(Self.short(commit)) is signed, but \(who) is not an allowed signer for git in \(file); add the key there or sign with an allowed key"
        case .signerNotAllowed(let commit, let principal, let reason):
            return
                "commit \(Self.short(commit)) is signed by \(principal), but the allowed-signers file does not allow that key for git commits (\(reason)); fix its namespaces or options"
        case .badSignature(let commit, let reason):
            return
                "commit \(Self.short(commit)) has a BAD signature (\(reason)); it was changed after signing or the signature is corrupt — do not apply it"
        case .allowedSignersUnreadable(let path, let reason):
            return "the allowed-signers file \(path) cannot be read (\(reason)); pass an OpenSSH allowed-signers file"
        case .verifierFailed(let commit, let reason):
            return "cannot check the signature of commit \(Self.short(commit)): \(reason); install openssh-client (ssh-keygen)"
        }
    }

    static func short(_ commit: String) -> String { String(commit.prefix(12)) }
}
